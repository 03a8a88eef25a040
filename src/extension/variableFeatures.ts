// Editor features for variables: hover (value and where it came from,
// secrets masked), completion, go to definition, diagnostics for unknown
// variables and chain references, and the environment picker.
import * as vscode from 'vscode';
import type { HttpDocument } from '../core/parser';
import {
  describeOrigin,
  describeVariableAt,
  type Environment,
  findVariableReferences,
  listEnvironmentNames,
  unknownRequestReferences,
  variableCompletions,
} from '../core/variables';
import { VariableScope } from '../core/variables/scope';
import type { ParsedDocuments } from './parsedDocuments';
import { toVsDiagnostic } from './parseDiagnostics';
import { toVsRange } from './ranges';
import type { SessionHost } from './sessionHost';

function httpFileOf(doc: vscode.TextDocument): string | null {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : null;
}

function linesOf(doc: vscode.TextDocument): string[] {
  const lines: string[] = [];
  for (let i = 0; i < doc.lineCount; i++) lines.push(doc.lineAt(i).text);
  return lines;
}

export class VariableFeatures implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('httpSession.variables');
  /** Env files that cannot be read, with the place of the problem, shown on the env file itself. */
  private readonly envFileDiagnostics = vscode.languages.createDiagnosticCollection('httpSession.envFiles');
  private readonly status = vscode.window.createStatusBarItem(
    'httpSession.environment',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly documents: ParsedDocuments,
    private readonly host: SessionHost,
    private readonly saveEnvironment: (name: string | null) => Thenable<void>,
  ) {
    this.status.name = 'HTTP Session Environment';
    this.status.command = 'httpSession.selectEnvironment';
    this.updateStatus();
    const selector = [{ language: 'http' }];
    this.disposables.push(
      this.diagnostics,
      this.envFileDiagnostics,
      this.status,
      vscode.languages.registerHoverProvider(selector, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerCompletionItemProvider(
        selector,
        { provideCompletionItems: (d, p) => this.complete(d, p) },
        '{',
        '$',
        '.',
      ),
      vscode.languages.registerDefinitionProvider(selector, {
        provideDefinition: (d, p) => this.definition(d, p),
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      host.onDidChangeVariableFiles(() => {
        for (const d of vscode.workspace.textDocuments) this.schedule(d);
      }),
      documents.onDidChange((d) => this.schedule(d)),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  async selectEnvironment(name?: string | null): Promise<void> {
    let pick: string | null | undefined = name;
    if (pick === undefined) {
      const doc = vscode.window.activeTextEditor?.document;
      const files = doc ? (await this.host.runner.environment(httpFileOf(doc))).files : null;
      const names = listEnvironmentNames(files?.envFiles ?? [], this.host.settings.environments);
      const none = '$(circle-slash) No environment';
      const choice = await vscode.window.showQuickPick([none, ...names], {
        title: 'HTTP Session: Select Environment',
        placeHolder: this.host.environment ?? 'none selected',
      });
      if (choice === undefined) return;
      pick = choice === none ? null : choice;
    }
    this.host.selectEnvironment(pick);
    await this.saveEnvironment(pick);
    this.updateStatus();
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  private updateStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'http') {
      this.status.hide();
      return;
    }
    this.status.text = `$(server-environment) ${this.host.environment ?? 'No Env'}`;
    this.status.tooltip = 'HTTP Session: select the environment for {{variables}}';
    this.status.show();
  }

  private async context(
    doc: vscode.TextDocument,
  ): Promise<{ document: HttpDocument; environment: Environment }> {
    const document = this.documents.get(doc);
    const { environment } = await this.host.runner.environment(httpFileOf(doc));
    return { document, environment };
  }

  private async hover(
    doc: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const { document, environment } = await this.context(doc);
    const { files } = await this.host.runner.environment(httpFileOf(doc));
    const description = describeVariableAt(document, linesOf(doc), position, {
      environment,
      chain: this.host.runner.chainsOf('default'),
      dotenv: files?.dotenv ?? [],
      processEnv: process.env,
      trusted: vscode.workspace.isTrusted,
      now: Date.now,
      random: Math.random,
    });
    if (!description) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`\`{{${description.expression}}}\`\n\n`);
    if (description.problem) md.appendMarkdown(`$(warning) ${description.problem}`);
    else {
      md.appendCodeblock(description.value ?? '', 'text');
      if (description.origin) md.appendMarkdown(`from ${describeOrigin(description.origin)}`);
      if (description.volatile) md.appendMarkdown(' — a new value on every send');
      if (description.secret) md.appendMarkdown(' — secret, masked');
    }
    md.supportThemeIcons = true;
    return new vscode.Hover(md, toVsRange(description.range));
  }

  private async complete(
    doc: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionItem[]> {
    const before = doc.lineAt(position.line).text.slice(0, position.character);
    const open = before.lastIndexOf('{{');
    if (open < 0 || before.indexOf('}}', open) >= 0) return [];
    const { document, environment } = await this.context(doc);
    const start = new vscode.Position(position.line, open + 2);
    const kinds = {
      prompt: vscode.CompletionItemKind.Value,
      request: vscode.CompletionItemKind.Reference,
      file: vscode.CompletionItemKind.Variable,
      environment: vscode.CompletionItemKind.Constant,
      system: vscode.CompletionItemKind.Function,
    } as const;
    return variableCompletions(document, environment, position.line).map((c) => {
      const item = new vscode.CompletionItem(c.label, kinds[c.kind]);
      item.detail = c.detail;
      item.range = new vscode.Range(start, position);
      return item;
    });
  }

  private definition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const document = this.documents.get(doc);
    const ref = findVariableReferences([doc.lineAt(position.line).text]).find(
      (r) => r.range.start.character <= position.character && position.character <= r.range.end.character,
    );
    if (!ref?.parsed) return undefined;
    const e = ref.parsed.kind === 'encoded' ? ref.parsed.inner : ref.parsed;
    if (e.kind === 'name') {
      const def =
        [...document.variables]
          .reverse()
          .find((d) => d.name === e.name && d.range.start.line < position.line) ??
        document.variables.find((d) => d.name === e.name);
      return def ? new vscode.Location(doc.uri, toVsRange(def.nameRange)) : undefined;
    }
    if (e.kind === 'chain') {
      const target = document.requests.find((r) => r.name === e.request);
      return target ? new vscode.Location(doc.uri, toVsRange(target.ranges.requestLine)) : undefined;
    }
    return undefined;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'http') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    // Variable checks read env files: wait for a pause in typing.
    this.timers.set(
      key,
      setTimeout(() => void this.check(doc), 300),
    );
  }

  private async check(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const { document, environment } = await this.context(doc);
    const lines = linesOf(doc);
    const found = unknownRequestReferences(document, lines, environment).map(toVsDiagnostic);
    const scope = new VariableScope(document, {
      environment,
      trusted: vscode.workspace.isTrusted,
      now: Date.now,
      random: Math.random,
      processEnv: {},
      dotenv: [],
    });
    const names = new Set(document.requests.map((r) => r.name).filter((n) => n !== null));
    for (const ref of findVariableReferences(lines)) {
      const e = ref.parsed?.kind === 'encoded' ? ref.parsed.inner : ref.parsed;
      if (e?.kind !== 'name' || names.has(e.name.split('.')[0])) continue;
      if (
        document.requests.some((r) =>
          r.directives.some(
            (d) => d.name === 'prompt' && typeof d.value === 'string' && d.value.split(/\s+/)[0] === e.name,
          ),
        )
      )
        continue;
      const evaluation = scope.evaluate(e, ref.range.start.line);
      if (!evaluation.ok && evaluation.code === 'undefined') {
        const d = new vscode.Diagnostic(
          toVsRange(ref.range),
          `Unknown variable ${e.name}: define it with @${e.name} = …, in http-client.env.json${environment.name ? ` (${environment.name})` : ''}, or select an environment.`,
          vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'HTTP Session';
        d.code = 'unknown-variable';
        found.push(d);
      }
    }
    this.diagnostics.set(doc.uri, found);
    await this.checkEnvFiles(doc);
  }

  /** An env file that is not valid JSON would otherwise only show up as unknown variables. */
  private async checkEnvFiles(doc: vscode.TextDocument): Promise<void> {
    const { files } = await this.host.runner.environment(httpFileOf(doc));
    if (!files) return;
    for (const env of files.envFiles) this.envFileDiagnostics.delete(vscode.Uri.file(env.path));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of files.problems) {
      const at = new vscode.Position(
        Math.max(0, (problem.line ?? 1) - 1),
        Math.max(0, (problem.column ?? 1) - 1),
      );
      const d = new vscode.Diagnostic(
        new vscode.Range(at, at.translate(0, 1)),
        `This env file ${problem.message}.`,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'HTTP Session';
      d.code = 'env-file';
      byFile.set(problem.path, [...(byFile.get(problem.path) ?? []), d]);
    }
    for (const [path, list] of byFile) this.envFileDiagnostics.set(vscode.Uri.file(path), list);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
