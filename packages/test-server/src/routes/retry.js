// Routes the @fetchstack/retry cases need, beyond those in base.js.
export const retry = {};
