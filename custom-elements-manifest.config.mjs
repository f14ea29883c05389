// `npm run build` writes dist/custom-elements.json from the element's JSDoc. Lit's internal
// reactive state (`static properties` with `state: true`, named `_…`) is not public API, and
// events dispatched from a variable have no name: both are left out.

/**
 * The element declares each property once, in its `static properties` table (`value` is the
 * default, `as …` its type when narrower than the `type` option). The analyzer reads only the
 * `type` option; this reads the rest, so the manifest keeps each property's exact type and default.
 */
const tableTypes = new Map(); // "Class.property" → { type, default? }

function readPropertyTable(ts, node) {
  if (!ts.isClassDeclaration(node) || !node.name) return;
  for (const member of node.members) {
    const isTable =
      ts.isPropertyDeclaration(member) &&
      member.name.getText() === 'properties' &&
      member.initializer &&
      ts.isObjectLiteralExpression(member.initializer);
    if (!isTable) continue;
    for (const entry of member.initializer.properties) {
      if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.initializer))
        continue;
      const option = (name) =>
        entry.initializer.properties.find(
          (o) => ts.isPropertyAssignment(o) && o.name.getText() === name,
        )?.initializer;
      const base = option('type')?.getText() === 'Boolean' ? 'boolean' : 'string';
      const value = option('value');
      const typed = value && ts.isAsExpression(value) ? value : undefined;
      tableTypes.set(`${node.name.getText()}.${entry.name.getText()}`, {
        type: typed ? typed.type.getText() : value ? base : `${base} | undefined`,
        default: (typed ? typed.expression : value)?.getText(),
      });
    }
  }
}
export default {
  litelement: true,
  globs: ['widget/**/*.ts'],
  exclude: ['widget/internal/**'],
  outdir: 'dist',
  plugins: [
    {
      name: 'paysg-property-table',
      analyzePhase({ ts, node }) {
        readPropertyTable(ts, node);
      },
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            for (const item of [
              ...(declaration.members ?? []),
              ...(declaration.attributes ?? []),
            ]) {
              const found = tableTypes.get(`${declaration.name}.${item.fieldName ?? item.name}`);
              if (!found || (item.kind && item.kind !== 'field')) continue;
              item.type = { text: found.type };
              if (found.default !== undefined) item.default = found.default;
            }
          }
        }
      },
    },
    {
      name: 'paysg-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.attributes)
              declaration.attributes = declaration.attributes.filter(
                (a) => !a.name.startsWith('_'),
              );
            if (declaration.events) declaration.events = declaration.events.filter((e) => e.name);
            if (declaration.members)
              declaration.members = declaration.members.filter(
                (m) => m.privacy !== 'private' && !m.name.startsWith('_'),
              );
          }
        }
      },
    },
  ],
};
