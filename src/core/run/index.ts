export { SessionChains } from './chainStore';
export { type OptionDefaults, type RequestSettings, requestSettings } from './requestOptions';
export {
  type RunInput,
  type RunnerOptions,
  type PlacedProblem,
  type PreparedRun,
  type RunOutcome,
  type RunProblem,
  Runner,
} from './runner';
