// Reading a stream body so that it can be sent again, loaded by request.ts only when a call
// brings one.
export { prepareReplay } from '@fetchstack/core/internal';
