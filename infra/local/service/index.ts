export { DynamoStreamsApi, DynamoStreamsApiError } from './DynamoStreamsApi.js';
export type { FunctionEnv, FunctionEnvOptions } from './functionEnv.js';
export { functionEnv, LOCAL_FUNCTION_ROLE_ARN, RECONCILE_QUEUE_NAME } from './functionEnv.js';
export { LambdaRuntime } from './LambdaRuntime.js';
export type { StartedLocalService, StartLocalServiceOptions } from './startLocalService.js';
export { startLocalService } from './startLocalService.js';
export type {
  ActivityListener,
  BatchResponse,
  LambdaHandler,
  LocalService,
  LocalServiceOptions,
  ServiceActivity,
} from './types.js';
export { FunctionName } from './types.js';
