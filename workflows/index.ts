export { smsConsentWorkflow } from './sms-consent';
