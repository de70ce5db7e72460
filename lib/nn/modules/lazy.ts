/** LazyModuleMixin: see lib/nn/modules/lazy.ts (filled in with the lazy layers). */
export const LazyModuleMixin = {};
