// Redirects: always on in a session (server runtimes follow them hop by hop, calling the
// layers beneath again for each hop; browsers follow them themselves). No option.

import { type Layer, later, layer } from './layer.js';

export const redirectLayer: Layer<object, false, false> = layer({
  name: 'redirect',
  options: [],
  mount: false,
  perCall: false,
  build: () => later((code) => code.sessionRedirect()),
});
