// The "custom:tracker-stats" dashboard strategy of Private Tracker Stats.
//
// Home Assistant's frontend calls generate() each time the dashboard opens;
// it builds the dashboard from the entity and device registries as they are
// then: an overview with one section per tracker account, then one view per
// account. Only entities that exist and are enabled appear, so a new account
// shows up (and a removed one disappears) with the next page load.
//
//   strategy:
//     type: custom:tracker-stats
//     accounts: [Redacted (JohnDoe)]  # device names or config entry ids; all when absent
//     period: day                     # statistics period: 5minute, hour, day, week, month
//     days_to_show: 30                # how far back the statistics graphs reach
//     account_views: true             # one view per account after the overview

const DOMAIN = "tracker_stats";
const PERIOD_DAYS = { "5minute": 2, hour: 7, day: 30, week: 91, month: 365 };

// Texts of the dashboard's own; entity names come from Home Assistant.
const TEXTS = {
  en: {
    title: "Trackers",
    overview: "Overview",
    ratio_history: "Ratio, last {days} days",
    transfer: "Uploaded and downloaded",
    status: "Status",
    required: "required {ratio}",
    empty: "No tracker account yet: add one under Settings → Devices & services.",
    description: "Every tracker account: ratio, buffer, health and a month of statistics.",
  },
  de: {
    title: "Tracker",
    overview: "Übersicht",
    ratio_history: "Ratio, letzte {days} Tage",
    transfer: "Hoch- und heruntergeladen",
    status: "Status",
    required: "gefordert {ratio}",
    empty: "Noch kein Tracker-Konto: unter Einstellungen → Geräte & Dienste hinzufügen.",
    description: "Jedes Tracker-Konto: Ratio, Puffer, Zustand und ein Monat Statistik.",
  },
  fr: {
    title: "Trackers",
    overview: "Vue d'ensemble",
    ratio_history: "Ratio, {days} derniers jours",
    transfer: "Envoyé et reçu",
    status: "État",
    required: "requis {ratio}",
    empty: "Aucun compte de tracker : ajoutez-en un dans Paramètres → Appareils et services.",
    description: "Chaque compte de tracker : ratio, marge, santé et un mois de statistiques.",
  },
  es: {
    title: "Trackers",
    overview: "Resumen",
    ratio_history: "Ratio, últimos {days} días",
    transfer: "Subido y descargado",
    status: "Estado",
    required: "requerido {ratio}",
    empty: "Aún no hay cuentas de tracker: añade una en Ajustes → Dispositivos y servicios.",
    description: "Cada cuenta de tracker: ratio, margen, salud y un mes de estadísticas.",
  },
  nl: {
    title: "Trackers",
    overview: "Overzicht",
    ratio_history: "Ratio, laatste {days} dagen",
    transfer: "Geüpload en gedownload",
    status: "Status",
    required: "vereist {ratio}",
    empty: "Nog geen trackeraccount: voeg er een toe via Instellingen → Apparaten & diensten.",
    description: "Elk trackeraccount: ratio, buffer, gezondheid en een maand statistieken.",
  },
  it: {
    title: "Tracker",
    overview: "Panoramica",
    ratio_history: "Ratio, ultimi {days} giorni",
    transfer: "Caricati e scaricati",
    status: "Stato",
    required: "richiesto {ratio}",
    empty: "Ancora nessun account tracker: aggiungine uno in Impostazioni → Dispositivi e servizi.",
    description: "Ogni account tracker: ratio, margine, salute e un mese di statistiche.",
  },
  pl: {
    title: "Trackery",
    overview: "Przegląd",
    ratio_history: "Ratio, ostatnie {days} dni",
    transfer: "Wysłane i pobrane",
    status: "Stan",
    required: "wymagane {ratio}",
    empty: "Brak kont trackerów: dodaj je w Ustawienia → Urządzenia oraz usługi.",
    description: "Każde konto trackera: ratio, bufor, kondycja i miesiąc statystyk.",
  },
  "pt-BR": {
    title: "Trackers",
    overview: "Visão geral",
    ratio_history: "Ratio, últimos {days} dias",
    transfer: "Enviado e baixado",
    status: "Status",
    required: "exigido {ratio}",
    empty: "Nenhuma conta de tracker ainda: adicione uma em Configurações → Dispositivos e serviços.",
    description: "Cada conta de tracker: ratio, margem, saúde e um mês de estatísticas.",
  },
  sv: {
    title: "Trackers",
    overview: "Översikt",
    ratio_history: "Ratio, senaste {days} dagarna",
    transfer: "Uppladdat och nedladdat",
    status: "Status",
    required: "krav {ratio}",
    empty: "Inget trackerkonto än: lägg till ett under Inställningar → Enheter och tjänster.",
    description: "Varje trackerkonto: ratio, buffert, hälsa och en månads statistik.",
  },
};

// Our entities by translation key: an account's cards on the overview, the
// tiles of its view (the rest of its entities go under Status there).
const OVERVIEW = [
  "ratio", "below_required_ratio", "download_headroom", "buffer", "health", "unread_messages", "last_update",
];
const TILES = [
  "uploaded", "downloaded", "buffer", "download_headroom", "seeding", "bonus_points",
  "health", "ratio_forecast",
];
const NOT_IN_STATUS = new Set(["ratio", "alert", ...TILES]);

function texts(language) {
  const wanted = language || "en";
  return TEXTS[wanted] || TEXTS[wanted.split("-")[0]] || TEXTS.en;
}

function say(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

// The entity's own name without the device's name in front ("Ratio", not
// "Redacted (JohnDoe) Ratio"), as Home Assistant names it.
function entityName(hass, entityId, deviceName) {
  const name = hass.states[entityId]?.attributes.friendly_name || entityId;
  return name.startsWith(`${deviceName} `) ? name.slice(deviceName.length + 1) : name;
}

function slug(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

// Our enabled, visible entities grouped by device (one device per account).
function findAccounts(hass, config) {
  const byDevice = new Map();
  for (const entity of Object.values(hass.entities || {})) {
    if (entity.platform !== DOMAIN || !entity.device_id || !entity.translation_key) continue;
    if (entity.hidden || !(entity.entity_id in hass.states)) continue;
    const device = hass.devices[entity.device_id];
    if (!device) continue;
    if (!byDevice.has(device.id)) {
      byDevice.set(device.id, { device, name: device.name_by_user || device.name, ids: {} });
    }
    byDevice.get(device.id).ids[entity.translation_key] = entity.entity_id;
  }
  const wanted = config.accounts && config.accounts.map(String);
  const accounts = [...byDevice.values()]
    .filter((a) => !wanted || wanted.some((w) => w === a.name || a.device.config_entries.includes(w)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const paths = new Set(["overview"]);
  for (const account of accounts) {
    let path = slug(account.name) || account.device.id;
    while (paths.has(path)) path += "-";
    paths.add(path);
    account.path = path;
  }
  return accounts;
}

function requiredRatio(hass, account) {
  const value = Number.parseFloat(hass.states[account.ids.required_ratio]?.state);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function ratioName(hass, account, t) {
  const name = entityName(hass, account.ids.ratio, account.name);
  const required = requiredRatio(hass, account);
  return required === undefined ? name : `${name} (${say(t.required, { ratio: required })})`;
}

function overviewSection(hass, account, t, withViews) {
  const heading = { type: "heading", heading: account.name, heading_style: "title" };
  if (withViews) heading.tap_action = { action: "navigate", navigation_path: account.path };
  const shown = OVERVIEW.filter((key) => account.ids[key]);
  // Headroom says how much more may be downloaded; buffer only where there is none.
  const cards = shown
    .filter((key) => !(key === "buffer" && account.ids.download_headroom))
    .map((key) => {
      const card = { type: "tile", entity: account.ids[key] };
      card.name = key === "ratio" ? ratioName(hass, account, t) : entityName(hass, account.ids[key], account.name);
      return card;
    });
  return { type: "grid", cards: [heading, ...cards] };
}

function gauge(hass, account, t) {
  const value = Number.parseFloat(hass.states[account.ids.ratio]?.state);
  const required = requiredRatio(hass, account);
  const max = Math.max(3, Math.ceil((Number.isFinite(value) ? value : 0) * 1.25));
  // Red below the required ratio, yellow up to 1, green from 1.
  const segments = [{ from: 0, color: required ? "var(--error-color)" : "var(--warning-color)" }];
  if (required && required < 1) segments.push({ from: required, color: "var(--warning-color)" });
  segments.push({ from: Math.max(1, required || 0), color: "var(--success-color)" });
  return {
    type: "gauge", entity: account.ids.ratio, name: ratioName(hass, account, t),
    min: 0, max, needle: true, segments,
  };
}

// The latest alert with its type and when it fired. A logbook card would be
// a large blank card for an account that has had no alert; before the first
// one the tile just says "Unknown".
function alertTiles(entity, name) {
  const when = (condition) => [{ condition: "state", entity, ...condition }];
  return [
    {
      type: "tile", entity, name,
      state_content: ["event_type", "last_changed"], visibility: when({ state_not: "unknown" }),
    },
    { type: "tile", entity, name, visibility: when({ state: "unknown" }) },
  ];
}

function accountView(hass, account, t, config) {
  const name = (key) => entityName(hass, account.ids[key], account.name);
  const row = (key) => ({ entity: account.ids[key], name: name(key) });
  const has = (key) => Boolean(account.ids[key]);
  const period = config.period || "day";
  const days = Number(config.days_to_show) || PERIOD_DAYS[period] || 30;
  const statistics = (title, keys, chartType, statTypes) => ({
    type: "statistics-graph", title, chart_type: chartType, period, days_to_show: days,
    stat_types: statTypes, grid_options: { columns: "full" }, entities: keys.filter(has).map(row),
  });
  const first = [{ type: "heading", heading: account.name, heading_style: "title" }];
  if (has("ratio")) first.push(gauge(hass, account, t));
  first.push(...TILES.filter(has).map((key) => ({ type: "tile", entity: account.ids[key], name: name(key) })));
  const graphs = [];
  if (has("ratio")) graphs.push(statistics(say(t.ratio_history, { days }), ["ratio"], "line", ["mean", "min", "max"]));
  if (has("uploaded") || has("downloaded")) {
    graphs.push(statistics(t.transfer, ["uploaded", "downloaded"], "bar", ["change"]));
  }
  const status = Object.keys(account.ids).filter((key) => !NOT_IN_STATUS.has(key)).sort();
  const last = [];
  if (status.length) last.push({ type: "entities", title: t.status, entities: status.map(row) });
  if (has("alert")) last.push(...alertTiles(account.ids.alert, name("alert")));
  const sections = [first, graphs, last].filter((cards) => cards.length).map((cards) => ({ type: "grid", cards }));
  // No icon: the tab bar shows the account's name.
  return { title: account.name, path: account.path, type: "sections", max_columns: 3, sections };
}

class TrackerStatsDashboardStrategy extends HTMLElement {
  static async generate(config, hass) {
    const t = texts(hass.locale?.language || hass.language);
    const accounts = findAccounts(hass, config);
    const withViews = config.account_views !== false;
    const sections = accounts.length
      ? accounts.map((account) => overviewSection(hass, account, t, withViews))
      : [{ type: "grid", cards: [{ type: "markdown", content: t.empty }] }];
    const overview = {
      title: t.overview, path: "overview", icon: "mdi:view-dashboard", type: "sections", max_columns: 4, sections,
    };
    const views = withViews ? accounts.map((account) => accountView(hass, account, t, config)) : [];
    return { title: t.title, views: [overview, ...views] };
  }
}

function register() {
  const registry = window.customElements;
  if (registry.get("ll-strategy-dashboard-tracker-stats")) return;
  registry.define("ll-strategy-dashboard-tracker-stats", TrackerStatsDashboardStrategy);
  // Frontends that offer custom strategies under Settings → Dashboards → Add
  // dashboard list the ones in this array.
  window.customStrategies = window.customStrategies || [];
  window.customStrategies.push({
    type: "tracker-stats",
    strategyType: "dashboard",
    name: "Private Tracker Stats",
    description: texts(document.documentElement.lang).description,
  });
}

// The frontend may replace window.customElements with a registry of its own
// while it starts (a scoped-registry polyfill); an element defined in the old
// one before that stays unknown to it. This module can run first, so it
// defines its element once the frontend's root element is defined.
customElements.whenDefined("home-assistant").then(register);
