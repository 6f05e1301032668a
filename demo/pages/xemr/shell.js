// The single-page shell: patient queue, pushState routes, two frames on two other origins.
(function () {
  'use strict';
  var port = location.port ? ':' + location.port : '';
  var bannerOrigin = 'http://xemr-banner.localhost' + port;
  var ordersOrigin = 'http://xemr-orders.localhost' + port;
  var banner = document.getElementById('banner-frame');
  var orders = document.getElementById('orders-frame');
  var queue = document.getElementById('queue');
  var patients = [];
  var current = -1;
  var loaded = { banner: false, orders: false };
  // ExtJS regenerates ids on every load.
  document.querySelectorAll('[id^="ext-gen"]').forEach(function (el) { el.id = 'ext-gen' + Math.floor(1000 + Math.random() * 9000); });

  function post(frame, origin, message) {
    // Each frame gets the patient with its own exact origin, never "*".
    frame.contentWindow.postMessage(message, origin);
  }

  function open(index, push) {
    var p = patients[index];
    if (!p || !loaded.banner || !loaded.orders) return;
    current = index;
    for (var li of queue.children) li.classList.toggle('x-selected', li.dataset.index === String(index));
    if (push) history.pushState({ index: index }, '', '/xemr/visit/' + encodeURIComponent(p.visitNo));
    post(banner, bannerOrigin, { type: 'open-patient', patient: p });
    // The order-entry server answers a little later than the patient index, as in real life.
    setTimeout(function () { if (current === index) post(orders, ordersOrigin, { type: 'open-patient', patient: p }); }, 25);
  }

  function fromPath() {
    var m = /^\/xemr\/visit\/([^/]+)$/.exec(location.pathname);
    if (!m) return -1;
    var visit = decodeURIComponent(m[1]);
    return patients.findIndex(function (p) { return p.visitNo === visit; });
  }

  window.addEventListener('popstate', function () { var i = fromPath(); if (i >= 0) open(i, false); });
  function frameReady(which) {
    loaded[which] = true;
    if (loaded.banner && loaded.orders && patients.length) { var i = fromPath(); if (i >= 0) open(i, false); }
  }
  banner.addEventListener('load', function () { frameReady('banner'); });
  orders.addEventListener('load', function () { frameReady('orders'); });
  banner.src = bannerOrigin + '/xemr/banner.html';
  orders.src = ordersOrigin + '/xemr/orders.html';

  fetch('/emr/api/patients').then(function (r) { return r.json(); }).then(function (list) {
    patients = list;
    list.forEach(function (p, i) {
      var li = document.createElement('li');
      li.dataset.index = String(i);
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = p.name + '　' + p.gender + '　' + p.age;
      b.addEventListener('click', function () { open(i, true); });
      li.append(b);
      queue.append(li);
    });
    frameReady('list');
  });
  window.xemr = { open: function (i) { open(i, true); } };
})();
