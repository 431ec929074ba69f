// The domain and DNS evaluation set, for the tests beside it and for `npm run bench:nlu`.
export { DOMAIN_INTENTS, DOMAIN_SET, DOMAIN_SET_APPS, DOMAIN_SLOTS, measureDomains, type DomainSlot } from './independent-set.js';
