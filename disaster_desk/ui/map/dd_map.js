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
      m.bindTooltip(text("span", item.label), { permanent: true, direction: "center", className: "dd-label" });
    }
    m.on("click", function () { if (window.ddBridge) window.ddBridge.itemClicked(m.ddItem.key); });
    return m;
  }

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
    map.setView(m.getLatLng(), Math.max(map.getZoom(), m.ddItem.layer === "post" ? 17 : 15), { animate: false });
    if (m.ddItem.layer === "post") {
      L.popup({ maxWidth: 360 }).setLatLng(m.getLatLng()).setContent(popup(m.ddItem)).openOn(map);
    } else {
      m.openPopup();
    }
    return true;
  }

  if (cfg.wardLabels) {
    Object.keys(cfg.wards).forEach(function (ward) {
      L.tooltip({ permanent: true, direction: "center", className: "dd-ward", interactive: false })
        .setLatLng(cfg.wards[ward]).setContent(text("span", ward)).addTo(map);
    });
  }

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
