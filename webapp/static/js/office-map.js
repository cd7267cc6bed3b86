/* Bản đồ cơ quan BHXH: the list of offices below the map is the data; each office with
   coordinates becomes a marker whose popup repeats its name, address and "Chỉ đường" link.
   Without Leaflet or tiles, the list alone still works. */
(() => {
  const box = document.getElementById("office-map");
  if (!box || typeof L === "undefined") return;
  const offices = Array.from(document.querySelectorAll(".office[data-lat][data-lng]"));
  if (offices.length === 0) return;

  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  const attribution = document.createElement("span");
  attribution.textContent = box.dataset.attribution || "";
  L.tileLayer(box.dataset.tiles, {
    maxZoom: 18,
    attribution: attribution.innerHTML, // escaped text: the config value is never read as HTML
    referrerPolicy: "strict-origin-when-cross-origin", // tile servers may ask who is asking
  }).addTo(map);

  const points = [];
  offices.forEach((item) => {
    const lat = parseFloat(item.dataset.lat);
    const lng = parseFloat(item.dataset.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) return;
    const popup = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = item.dataset.name;
    const address = document.createElement("p");
    address.textContent = item.dataset.address;
    popup.append(name, address);
    const directions = item.querySelector("a.directions");
    if (directions) {
      const link = document.createElement("a");
      link.href = directions.href;
      link.textContent = box.dataset.directions;
      popup.append(link);
    }
    L.marker([lat, lng], { title: item.dataset.name, alt: item.dataset.name }).addTo(map).bindPopup(popup);
    points.push([lat, lng]);
  });
  if (points.length === 1) map.setView(points[0], 13);
  else map.fitBounds(points, { padding: [24, 24] });
})();
