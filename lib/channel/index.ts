export { Channel } from './channel';
export { ChannelClosedError } from '../errors/channel-closed.error';
export { ChannelFullError } from '../errors/channel-full.error';
export type { ChannelFullMode, ChannelOptions } from './channel-options.interface';
export { ChannelReader } from './channel-reader';
export { ChannelWriter } from './channel-writer';
