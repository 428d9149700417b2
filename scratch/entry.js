const { startupSnapshot } = require('node:v8');
const u = require('undici');
startupSnapshot.setDeserializeMainFunction(() => { console.log(typeof u.fetch); });
