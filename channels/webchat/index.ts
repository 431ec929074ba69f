export { WebchatChannel, webchatTopic, type WebchatPublisher } from './webchat-channel.js';
export { registerWebchatRoutes, type WebchatRoutesOptions, type WebchatHistoryItem } from './webchat-routes.js';
export { userIdFor, readSessionToken, SESSION_COOKIE } from './webchat-session.js';
