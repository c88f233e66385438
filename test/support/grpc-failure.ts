import { ServiceError } from '@temporalio/client';

/**
 * The error the Temporal client throws when its gRPC call fails with `code`: a ServiceError whose cause carries the
 * status, details and metadata, as @grpc/grpc-js builds it (isGrpcServiceError recognises exactly this shape).
 */
export function grpcFailure(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError(`${code} ${details}`, { cause });
}
