export { smsConsentWorkflow } from './sms-consent';
export { eventDeliveryWorkflow } from './event-delivery';
