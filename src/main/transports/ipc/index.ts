export { type ForwardTopicsOptions, forwardTopics } from './forward-topics';
export { type RegisterIpcOptions, registerIpc } from './register-ipc';
export { type AppLocation, appUrlMatcher, createTrustedSenderCheck } from './trusted-sender';
export type {
  FrameLike,
  InvokeEventLike,
  InvokeListener,
  IpcMainLike,
  TrustedSenderCheck,
  WebContentsLike,
} from './types';
