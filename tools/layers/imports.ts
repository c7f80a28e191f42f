import ts from 'typescript';

export interface ImportSite {
  specifier: string;
  line: number;
  /** `import('x')`: loaded lazily, only when the code path runs. */
  dynamic: boolean;
  /** `import type` / `export type`: erased at compile time, never loaded. */
  typeOnly: boolean;
}

/** Every module specifier a TypeScript file refers to, with how it is loaded. */
export function findImports(fileName: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const sites: ImportSite[] = [];
  const add = (literal: ts.Expression, dynamic: boolean, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    sites.push({ specifier: literal.text, line, dynamic, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, false, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node.moduleSpecifier, false, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, false, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      if (first !== undefined && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(first, true, false);
      if (first !== undefined && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
        add(first, false, false);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}
