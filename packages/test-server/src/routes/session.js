// Routes the @fetchstack/session cases need, beyond those in base.js.
export const session = {};
