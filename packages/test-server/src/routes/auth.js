// Routes the @fetchstack/auth cases need, beyond those in base.js.
export const auth = {};
