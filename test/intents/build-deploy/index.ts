// The build/deploy evaluation set, for the tests beside it and for `npm run bench:nlu`.
export { measureBuildDeploy, loadBuildDeploySet, EVALUATION_APPS, BUILD_DEPLOY_INTENTS, SCORED_SLOTS, type BuildDeployFigures, type BuildDeployItem } from './independent-set.js';
