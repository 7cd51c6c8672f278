/** Names every object inherits from Object.prototype; each was once accepted as an id somewhere (issue 9). */
export const INHERITED_NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'] as const;
