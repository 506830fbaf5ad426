/**
 * The Slack adapter's entry points for the service's wiring. service.ts imports this module only
 * when Slack is configured: the Slack SDK costs about 20 MB on every thread that loads it, and an
 * instance without Slack (the playground, a LINE-only pilot) never needs it.
 */
export { mountSlackApp } from './slack-app.js';
export { SlackSender } from './slack-sender.js';
export { createSlackWebClient } from './slack-web-client.js';
export { SlackStaffAuthorizer } from './staff-authorizer.js';
