export { AIWorkersClient, ChatStream, infoFromHeaders } from "./client.js";
export type { ClientOptions, RequestOptions } from "./client.js";
export { AIWorkersError, errorFromResponse } from "./errors.js";
export { sseData } from "./sse.js";
export type * from "./types.js";
