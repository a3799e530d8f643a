// The dashboard strategy's generate(), run by Node's test runner against a
// made-up registry (scripts/test runs it next to ESLint): which entities make
// it onto the dashboard, the options, the language.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import vm from "node:vm";

const MODULE = new URL("../../custom_components/tracker_stats/frontend/tracker-stats-strategy.js", import.meta.url);

// Load the module as the frontend would, with just enough of a browser page.
async function loadStrategy() {
  const defined = new Map();
  const registry = {
    get: (name) => defined.get(name),
    define: (name, element) => defined.set(name, element),
    whenDefined: async () => undefined,
  };
  const window = { customElements: registry };
  const page = { window, customElements: registry, document: { documentElement: { lang: "en" } }, HTMLElement: class {} };
  vm.runInNewContext(await readFile(MODULE, "utf8"), page);
  await new Promise((resolve) => setImmediate(resolve));
  const element = defined.get("ll-strategy-dashboard-tracker-stats");
  // Plain data of this realm (the module's arrays are the context's own).
  const plain = (value) => JSON.parse(JSON.stringify(value));
  return {
    strategy: element && { generate: async (config, hass) => plain(await element.generate(config, hass)) },
    window: { customStrategies: plain(window.customStrategies) },
  };
}

// Two accounts; the second has no health sensor and a disabled buffer (absent
// from hass.entities, as the frontend gets it); one entity of another integration.
function fakeHass(language = "en") {
  const entities = {};
  const states = {};
  const add = (entityId, platform, deviceId, key, friendlyName, state) => {
    entities[entityId] = { entity_id: entityId, platform, device_id: deviceId, translation_key: key };
    states[entityId] = { state, attributes: { friendly_name: friendlyName } };
  };
  add("sensor.red_ratio", "tracker_stats", "d1", "ratio", "Redacted (JohnDoe) Ratio", "1.5");
  add("sensor.red_required_ratio", "tracker_stats", "d1", "required_ratio", "Redacted (JohnDoe) Required ratio", "0.6");
  add("sensor.red_buffer", "tracker_stats", "d1", "buffer", "Redacted (JohnDoe) Buffer", "10");
  add("sensor.red_download_headroom", "tracker_stats", "d1", "download_headroom", "Redacted (JohnDoe) Headroom", "5");
  add("sensor.red_health", "tracker_stats", "d1", "health", "Redacted (JohnDoe) Health", "ok");
  add("sensor.red_uploaded", "tracker_stats", "d1", "uploaded", "Redacted (JohnDoe) Uploaded", "100");
  add("event.red_alert", "tracker_stats", "d1", "alert", "Redacted (JohnDoe) Alert", "unknown");
  add("sensor.ggn_ratio", "tracker_stats", "d2", "ratio", "GazelleGames (Ex) Ratio", "0.9");
  add("sensor.ggn_unread_messages", "tracker_stats", "d2", "unread_messages", "GazelleGames (Ex) Unread", "2");
  add("sensor.other_ratio", "other", "d3", "ratio", "Other Ratio", "3");
  const devices = {
    d1: { id: "d1", name: "Redacted (JohnDoe)", name_by_user: null, config_entries: ["e1"] },
    d2: { id: "d2", name: "GazelleGames (Ex)", name_by_user: null, config_entries: ["e2"] },
    d3: { id: "d3", name: "Other", name_by_user: null, config_entries: ["e3"] },
  };
  return { language, locale: { language }, entities, states, devices };
}

const entitiesOf = (node) => JSON.stringify(node).match(/"entity":"[^"]+"/g).map((m) => m.slice(10, -1));

test("registers the strategy and offers it to the dashboard picker", async () => {
  const { strategy, window } = await loadStrategy();
  assert.equal(typeof strategy.generate, "function");
  assert.deepEqual(window.customStrategies.map((s) => [s.type, s.strategyType]), [["tracker-stats", "dashboard"]]);
});

test("an overview section per account with only what the account has", async () => {
  const { strategy } = await loadStrategy();
  const dashboard = await strategy.generate({ type: "custom:tracker-stats" }, fakeHass());
  const [overview, ...views] = dashboard.views;
  assert.deepEqual(views.map((v) => [v.title, v.path]), [
    ["GazelleGames (Ex)", "gazellegames-ex"], ["Redacted (JohnDoe)", "redacted-johndoe"],
  ]);
  const [ggn, red] = overview.sections;
  assert.deepEqual(entitiesOf(ggn), ["sensor.ggn_ratio", "sensor.ggn_unread_messages"]);
  // Headroom instead of the buffer where there is headroom; health where there is one.
  assert.deepEqual(entitiesOf(red), ["sensor.red_ratio", "sensor.red_download_headroom", "sensor.red_health"]);
  assert.equal(red.cards[1].name, "Ratio (required 0.6)");
  assert.ok(!JSON.stringify(dashboard).includes("sensor.other_ratio"));
});

test("an account's view: gauge from the required ratio, statistics, status, alerts", async () => {
  const { strategy } = await loadStrategy();
  const dashboard = await strategy.generate({ type: "custom:tracker-stats", period: "week" }, fakeHass());
  const red = dashboard.views.find((v) => v.path === "redacted-johndoe");
  const gauge = red.sections[0].cards.find((c) => c.type === "gauge");
  assert.deepEqual(gauge.segments.map((s) => s.from), [0, 0.6, 1]);
  const graphs = red.sections[1].cards;
  assert.deepEqual(graphs.map((g) => [g.period, g.days_to_show]), [["week", 91], ["week", 91]]);
  assert.deepEqual(entitiesOf(red.sections[2]).filter((id) => !id.startsWith("event.")), ["sensor.red_required_ratio"]);
  // The latest alert as a tile with its type, never a blank logbook card.
  const alert = red.sections[2].cards.filter((c) => c.entity === "event.red_alert");
  assert.deepEqual(alert.map((c) => [c.type, c.visibility[0].state ?? c.visibility[0].state_not]), [
    ["tile", "unknown"], ["tile", "unknown"],
  ]);
  assert.deepEqual(alert[0].state_content, ["event_type", "last_changed"]);
  assert.ok(!JSON.stringify(dashboard).includes("logbook"));
});

test("options: some accounts, no account views; texts in the frontend's language", async () => {
  const { strategy } = await loadStrategy();
  const config = { type: "custom:tracker-stats", accounts: ["e2"], account_views: false };
  const dashboard = await strategy.generate(config, fakeHass("de"));
  assert.equal(dashboard.views.length, 1);
  assert.equal(dashboard.views[0].title, "Übersicht");
  assert.deepEqual(dashboard.views[0].sections.map((s) => s.cards[0].heading), ["GazelleGames (Ex)"]);
  assert.equal(dashboard.views[0].sections[0].cards[0].tap_action, undefined);
});

test("no account yet: a hint where to add one", async () => {
  const { strategy } = await loadStrategy();
  const dashboard = await strategy.generate({ type: "custom:tracker-stats" }, { ...fakeHass("pt-BR"), entities: {} });
  assert.equal(dashboard.views.length, 1);
  assert.match(dashboard.views[0].sections[0].cards[0].content, /Configurações/);
});
