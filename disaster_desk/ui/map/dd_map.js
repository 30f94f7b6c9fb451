// Disaster Desk map API, called by the Qt view with runJavaScript (JSON data).
// Every text from outside is set with textContent: it is data, never HTML.
// Runs after the folium script (end of body) has created the map and layers.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var cfg = window.DD_CONFIG;
  var map = window[cfg.map];
  var cluster = window[cfg.cluster];
  var categories = {};
  Object.keys(cfg.categories).forEach(function (k) { categories[k] = window[cfg.categories[k]]; });
  var overlays = {};
  Object.keys(cfg.overlays).forEach(function (k) { overlays[k] = window[cfg.overlays[k]]; });
  var markers = {};  // key -> marker
  var renderer = L.canvas({ padding: 0.5 });

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) el.className = cls;
    return el;
  }

  function popup(item) {
    var div = document.createElement("div");
    div.className = "dd-popup";
    div.setAttribute("data-key", item.key);
    div.appendChild(text("b", item.title, "dd-title"));
    var table = document.createElement("table");
    (item.fields || []).forEach(function (f) {
      if (f[1] === "" || f[1] == null) return;
      var tr = document.createElement("tr");
      tr.appendChild(text("th", f[0]));
      tr.appendChild(text("td", f[1]));
      table.appendChild(tr);
    });
    div.appendChild(table);
    return div;
  }

  function make(item) {
    var m = L.circleMarker([item.lat, item.lon], {
      renderer: renderer, radius: item.radius, color: item.colour, weight: item.filled ? 1 : 2,
      opacity: item.opacity, fill: true, fillColor: item.colour,
      fillOpacity: item.filled ? item.opacity * 0.7 : 0.05,
    });
    m.ddItem = item;
    m.bindPopup(function () { return popup(m.ddItem); }, { maxWidth: 360 });
    if (item.label) {
      // A muster count sits right of its circle, so the intensity drawn at the same ward point stays readable.
      var side = item.layer === "muster";
      m.bindTooltip(text("span", item.label), { permanent: true, direction: side ? "right" : "center",
        offset: side ? [item.radius - 4, 0] : [0, 0], className: side ? "dd-label dd-label-side" : "dd-label" });
    }
    if (isRegistry(item)) m.setStyle(registryStyle());
    m.on("click", function () { if (window.ddBridge) window.ddBridge.itemClicked(m.ddItem.key); });
    return m;
  }

  // Registry shelters without a report (hundreds of grey rings): small dots until street level (zoom 15).
  function isRegistry(item) { return item.layer === "shelter" && item.key.indexOf("shelter:") === 0; }
  function registryStyle() {
    return map.getZoom() >= cfg.townZoom ? { radius: 5, weight: 2 } : { radius: 3, weight: 1 };
  }
  map.on("zoomend", function () {
    var style = registryStyle();
    overlays.shelter.eachLayer(function (m) { if (m.ddItem && isRegistry(m.ddItem)) m.setStyle(style); });
  });

  function groupOf(item) {
    if (item.layer === "post") return categories[item.category] || categories.none;
    return overlays[item.layer];
  }

  function remove(key) {
    var m = markers[key];
    if (!m) return;
    var g = groupOf(m.ddItem);
    if (g) g.removeLayer(m);
    delete markers[key];
  }

  // Posts go into their category's sub-group; sub-groups on the map are
  // added to the cluster in one batch (addLayers), which keeps 10,000 fast.
  function add(items) {
    var batch = [];
    items.forEach(function (item) {
      remove(item.key);
      var m = make(item);
      markers[item.key] = m;
      if (item.layer === "post") {
        var sub = groupOf(item);
        m.addEventParent(sub);
        sub._layers[L.stamp(m)] = m;
        if (map.hasLayer(sub)) batch.push(m);
      } else if (overlays[item.layer]) {
        overlays[item.layer].addLayer(m);
      }
    });
    if (batch.length) cluster.addLayers(batch);
    refreshOpenPopup(items);
    return Object.keys(markers).length;
  }

  // A popup left open on an item that just changed shows the new state, not the one before.
  function refreshOpenPopup(items) {
    var open = map._popup;
    if (!open || !map.hasLayer(open)) return;
    var content = open.getContent();
    var key = content && content.getAttribute ? content.getAttribute("data-key") : null;
    if (!key) return;
    items.forEach(function (item) { if (item.key === key) open.setContent(popup(item)); });
  }

  function clear() {
    cluster.clearLayers();
    Object.keys(categories).forEach(function (k) { categories[k]._layers = {}; });
    Object.keys(overlays).forEach(function (k) { overlays[k].clearLayers(); });
    markers = {};
  }

  // A clustered post may be hidden inside a cluster: zoom in without animation
  // and open a free-standing popup at its position (it does not need the marker drawn).
  function highlight(key) {
    var m = markers[key];
    if (!m) return false;
    // Street level (cfg.selectZoom, 16): closer only if the operator is already closer.
    map.setView(m.getLatLng(), Math.max(map.getZoom(), cfg.selectZoom), { animate: false });
    if (m.ddItem.layer === "post") {
      L.popup({ maxWidth: 360 }).setLatLng(m.getLatLng()).setContent(popup(m.ddItem)).openOn(map);
    } else {
      m.openPopup();
    }
    return true;
  }

  // The base map. Panes, bottom to top: land and sea (150) < tiles (200) < ward boundaries (380)
  // < vector markers (400) < count badges (600) < marker labels (650) < town names (655)
  // < ward names (660) < popups (700): ward names are drawn above every marker and label.
  [["ddLand", 150], ["ddBounds", 380], ["ddTowns", 655], ["ddWardNames", 660]].forEach(function (p) {
    var pane = map.createPane(p[0]);
    pane.style.zIndex = String(p[1]);
    pane.style.pointerEvents = "none";
  });
  var SEA = "#a8cbe2", LAND = "#fbf9f3";
  var areaBase = L.layerGroup([], { attribution: cfg.areaAttribution });
  var landRenderer = L.svg({ pane: "ddLand" });
  if (cfg.sea) {
    L.geoJSON(cfg.sea, { pane: "ddLand", renderer: landRenderer, interactive: false,
      style: { stroke: false, fill: true, fillColor: SEA, fillOpacity: 1 } }).addTo(areaBase);
  }
  L.geoJSON(cfg.wards, { pane: "ddLand", renderer: landRenderer, interactive: false,
    style: { stroke: false, fill: true, fillColor: LAND, fillOpacity: 1 } }).addTo(areaBase);
  var bases = {}, baseById = {};
  cfg.bases.forEach(function (b) {
    var layer = b.id === "area" ? areaBase : L.tileLayer(b.url, {
      attribution: b.attribution, maxZoom: 18, maxNativeZoom: b.maxNativeZoom,
      minNativeZoom: b.minNativeZoom || 0,
    });
    layer.ddBase = b.id;
    bases[b.name] = layer;
    baseById[b.id] = layer;
  });
  (baseById[cfg.base] || areaBase).addTo(map);
  var wardLines = L.geoJSON(cfg.wards, { pane: "ddBounds", renderer: L.svg({ pane: "ddBounds" }),
    interactive: false, style: function (f) {
      return f.properties.ward === cfg.focusWard ? { color: "#37474f", weight: 3.5, opacity: 1, fill: false }
        : { color: "#78909c", weight: 1.4, opacity: 0.9, fill: false };
    } }).addTo(map);
  // A ward station opens on its own ward.
  wardLines.eachLayer(function (l) {
    if (cfg.focusWard && l.feature.properties.ward === cfg.focusWard) {
      map.fitBounds(l.getBounds(), { maxZoom: 14, padding: [20, 20], animate: false });
    }
  });

  // Ward names above the ward's own markers (muster, intensity) and its count badge below.
  var wardNames = L.layerGroup().addTo(map);
  Object.keys(cfg.wardNames).forEach(function (ward) {
    var el = text("span", ward, "dd-ward");
    el.setAttribute("data-ward", ward);
    wardNames.addLayer(L.marker(cfg.wardNames[ward], { pane: "ddWardNames", interactive: false, keyboard: false,
      icon: L.divIcon({ html: el, className: "dd-name-icon", iconSize: null }) }));
  });

  // Town names from street level (cfg.townZoom), only those in view.
  var townNames = L.layerGroup([], { attribution: cfg.townAttribution }).addTo(map);
  function drawTowns() {
    townNames.clearLayers();
    if (map.getZoom() < cfg.townZoom || !map.hasLayer(townNames)) return;
    var view = map.getBounds().pad(0.25);
    cfg.towns.forEach(function (t) {
      if (!view.contains([t[1], t[2]])) return;
      townNames.addLayer(L.marker([t[1], t[2]], { pane: "ddTowns", interactive: false, keyboard: false,
        icon: L.divIcon({ html: text("span", t[0], "dd-town"), className: "dd-name-icon", iconSize: null }) }));
    });
  }
  map.on("moveend zoomend", drawTowns);
  townNames.on("add", drawTowns);
  drawTowns();  // a map opened at street level

  var overlaysByName = {};
  overlaysByName[cfg.words.bounds] = wardLines;
  overlaysByName[cfg.words.wards] = wardNames;
  overlaysByName[cfg.words.towns] = townNames;
  Object.keys(cfg.categories).forEach(function (k) { overlaysByName[cfg.overlayNames[cfg.categories[k]]] = categories[k]; });
  Object.keys(cfg.overlays).forEach(function (k) { overlaysByName[cfg.overlayNames[cfg.overlays[k]]] = overlays[k]; });
  L.control.layers(bases, overlaysByName, { collapsed: true }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  if (map.attributionControl) {
    map.attributionControl.setPrefix("<a href='https://leafletjs.com'>Leaflet</a>");
  } else {
    L.control.attribution({ prefix: "<a href='https://leafletjs.com'>Leaflet</a>" }).addTo(map);
  }
  window.ddBase = function (id) {
    if (id === undefined) {
      var on = null;
      Object.keys(baseById).forEach(function (k) { if (map.hasLayer(baseById[k])) on = k; });
      return on;
    }
    if (!baseById[id]) return null;
    Object.keys(baseById).forEach(function (k) { if (k !== id && map.hasLayer(baseById[k])) map.removeLayer(baseById[k]); });
    baseById[id].addTo(map);
    map.fire("baselayerchange", { layer: baseById[id], name: id });
    return id;
  };
  window.ddBaseIds = function () { return cfg.bases.map(function (b) { return b.id; }); };

  // Count badges: per ward (and per town from zoom 14) the posts not drawn as markers
  // (outside the time window or beyond the marker bound), counted in SQL by the view.
  var wardCounts = L.layerGroup().addTo(map);
  var townCounts = L.layerGroup();
  var shownCounts = { wards: [], towns: [] };
  function badge(c, cls) {
    var el = text("span", c.n.toLocaleString("ja-JP"), "dd-count " + cls);
    el.title = c.name + " " + c.n.toLocaleString("ja-JP");
    el.setAttribute("data-name", c.name);
    return L.marker([c.lat, c.lon], {
      icon: L.divIcon({ html: el, className: "dd-count-icon", iconSize: null }), interactive: false, keyboard: false,
    });
  }
  function showTowns() {
    if (map.getZoom() >= 14) { if (!map.hasLayer(townCounts)) townCounts.addTo(map); }
    else if (map.hasLayer(townCounts)) map.removeLayer(townCounts);
  }
  map.on("zoomend", showTowns);
  window.ddCounts = function (data) {
    wardCounts.clearLayers();
    townCounts.clearLayers();
    shownCounts = data;
    (data.wards || []).forEach(function (c) { wardCounts.addLayer(badge(c, "dd-count-ward")); });
    (data.towns || []).forEach(function (c) { townCounts.addLayer(badge(c, "dd-count-town")); });
    showTowns();
    return (data.wards || []).length + (data.towns || []).length;
  };
  window.ddCountsShown = function () { return shownCounts; };

  window.ddSet = function (items) { clear(); return add(items); };
  window.ddAdd = add;
  window.ddUpdate = function (item) { return add([item]); };
  window.ddRemove = function (key) { remove(key); return Object.keys(markers).length; };
  window.ddHighlight = highlight;
  window.ddCount = function () { return Object.keys(markers).length; };
  window.ddMarker = function (key) { return markers[key]; };

  // Picking a place (the ward form's damage location): the next click on the map is handed back.
  var picking = false;
  var picked = null;
  window.ddPick = function (on) {
    picking = !!on;
    map.getContainer().style.cursor = picking ? "crosshair" : "";
    return picking;
  };
  window.ddPicked = function (lat, lon) {
    if (picked) map.removeLayer(picked);
    picked = L.circleMarker([lat, lon], { radius: 9, color: "#d7191c", weight: 3, fill: false }).addTo(map);
    if (window.ddBridge && window.ddBridge.locationPicked) window.ddBridge.locationPicked(lat, lon);
    return [lat, lon];
  };
  map.on("click", function (e) {
    if (!picking) return;
    window.ddPick(false);
    window.ddPicked(e.latlng.lat, e.latlng.lng);
  });

  function connect() {
    if (typeof QWebChannel === "undefined" || typeof qt === "undefined") {
      window.ddReady = true;  // opened outside Qt (e.g. a browser): no bridge
      return;
    }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      window.ddBridge = channel.objects.bridge;
      window.ddReady = true;
      window.ddBridge.pageReady();
    });
  }
  connect();
});
