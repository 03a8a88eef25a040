// Variables and environments. A front end resolves a request in three steps:
//
//   const files = await loadVariableFiles(fs, { httpFile, workspaceRoot, trusted });
//   const environment = buildEnvironment(files.envFiles, settingsEnvironments, selectedName);
//   const result = await resolveRequest({ document, request, httpFile, lines },
//     { environment, dotenv: files.dotenv, processEnv: process.env, trusted,
//       chain, prompts, now: Date.now, random: Math.random }, fs);
export { type ChainValue, chainValue, headerValue } from './chain';
export {
  checkHeaderName,
  checkHeaderValue,
  checkMethod,
  checkPath,
  checkUrl,
  TOKEN,
  wireHeaderValueProblem,
} from './checks';
export { referencedRequests, unknownRequestReferences } from './dependencies';
export {
  type CompletionKind,
  describeOrigin,
  describeVariableAt,
  MASK,
  maskSecrets,
  requestAtLine,
  type VariableCompletion,
  type VariableDescription,
  variableCompletions,
} from './editor';
export {
  buildEnvironment,
  type EnvFile,
  emptyEnvironment,
  flattenEnvironmentSet,
  listEnvironmentNames,
  SHARED,
} from './environment';
export {
  DOTENV_FILE,
  ENV_FILE,
  type FileProblem,
  loadVariableFiles,
  PRIVATE_ENV_FILE,
  parseEnvFile,
  searchFolders,
  type VariableFileOptions,
  type VariableFiles,
} from './environmentFiles';
export { type JsonSyntaxError, locateJsonError } from './jsonError';
export { type ChainEntity, type ChainPart, parseExpression, type VariableExpression } from './expression';
export type * from './model';
export { nodeFileSystem } from './nodeFileSystem';
export { describeProblem, formatProblem } from './problems';
export { type PromptRequest, promptsOf } from './prompts';
export { findVariableReferences, referenceAt, type VariableReference } from './references';
export { absoluteUrl } from './requestUrl';
export { type RequestToResolve, resolveRequest } from './resolveRequest';
export { resolveTemplate, type TemplateOptions } from './resolveTemplate';
export { type Substituted, VariableScope, type VariableUse } from './scope';
export { SYSTEM_VARIABLES, type SystemVariableInfo } from './systemVariables';
