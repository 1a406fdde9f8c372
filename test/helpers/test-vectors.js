// @ts-check
'use strict';
/** The shared Standard Webhooks test vectors (made by the reference `standardwebhooks` library). */
module.exports = { standardWebhooksVectors: require('../fixtures/standard-webhooks.json') };
