// How the domain and CRM evaluation sets are scored, for their tests and `npm run bench:nlu`.
export { describeFigures, item, measureSet, type MeasureOptions, type SetFigures, type SetItem, type SlotTally } from './measure-set.js';
