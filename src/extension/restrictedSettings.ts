// Settings a workspace may not set in Restricted Mode: they name local files
// (client certificate keys) and hold their passphrases, so an untrusted
// folder's `.vscode/settings.json` must not choose them. Declared in
// package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`,
// where VS Code itself then leaves out workspace values; reading only the
// user's value here as well keeps that true should a VS Code not do so.
// Nothing here imports `vscode`.

export const CLIENT_CERTIFICATES = 'httpSession.clientCertificates';

/** Every setting in package.json's restrictedConfigurations. */
export const RESTRICTED_SETTINGS: readonly string[] = [CLIENT_CERTIFICATES];

/** The parts of `WorkspaceConfiguration.inspect()` that matter here. */
export interface InspectedSetting<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

/**
 * A restricted setting's value: in a trusted workspace the effective one
 * (user and workspace merged, as `get` gives it); otherwise the user's own,
 * else the default — never a workspace or folder value.
 */
export function restrictedValue<T>(
  effective: T | undefined,
  inspected: InspectedSetting<T> | undefined,
  trusted: boolean,
): T | undefined {
  return trusted ? effective : (inspected?.globalValue ?? inspected?.defaultValue);
}
