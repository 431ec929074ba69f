export { openStores, type Stores } from './open-stores.js';
export * from './durable/index.js';
export * from './hot/index.js';
export { isStoreUnavailable, toStoreError } from './store-failures.js';
