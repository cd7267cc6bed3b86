/* Bản đồ cơ quan BHXH: every office of the province chosen (or all) is a marker, read from the
   map box's data-offices (the list below shows one page of them); its popup repeats the name,
   address and "Chỉ đường" link. Without Leaflet or tiles, the list alone still works. */
(() => {
  const box = document.getElementById("office-map");
  if (!box || typeof L === "undefined") return;
  let offices = [];
  try {
    offices = JSON.parse(box.dataset.offices || "[]");
  } catch (error) {
    return;
  }
  offices = offices.filter((o) => Number.isFinite(o.lat) && Number.isFinite(o.lng));
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

  const points = offices.map((office) => {
    const popup = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = office.name;
    const address = document.createElement("p");
    address.textContent = office.address || "";
    popup.append(name, address);
    if (typeof office.directions === "string" && office.directions.startsWith("geo:")) {
      const link = document.createElement("a");
      link.href = office.directions;
      link.textContent = box.dataset.directions;
      popup.append(link);
    }
    L.marker([office.lat, office.lng], { title: office.name, alt: office.name }).addTo(map).bindPopup(popup);
    return [office.lat, office.lng];
  });
  if (points.length === 1) map.setView(points[0], 13);
  else map.fitBounds(points, { padding: [24, 24] });
})();
