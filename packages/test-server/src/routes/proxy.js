// Routes the @fetchstack/proxy cases need, beyond those in base.js.
export const proxy = {};
