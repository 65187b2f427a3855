// Routes the @fetchstack/cookies cases need, beyond those in base.js.
export const cookies = {};
