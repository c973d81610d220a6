export { HostingError, HostingErrorCode, isHostingError } from './hosting-error';
export { InvalidOptionError } from './invalid-option.error';
export { HostStartTimeoutError } from './host-start-timeout.error';
export { HostStartCancelledError } from './host-start-cancelled.error';
export { HostedServicesError } from './hosted-services.error';
export { InvalidHostedServiceError } from './invalid-hosted-service.error';
export { InvalidHostStateError } from './invalid-host-state.error';
