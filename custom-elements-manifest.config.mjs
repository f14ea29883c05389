// `npm run build` writes dist/custom-elements.json from the element's JSDoc. Lit's internal
// reactive state (`static properties` with `state: true`, named `_…`) is not public API, and
// events dispatched from a variable have no name: both are left out.
export default {
  litelement: true,
  globs: ['widget/**/*.ts'],
  exclude: ['widget/internal/**'],
  outdir: 'dist',
  plugins: [
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
