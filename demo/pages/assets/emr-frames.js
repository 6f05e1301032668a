// The framed demo EMR's own script (runs in the workspace frame): it knows nothing about Huren.
// The patient is one line of text and the orders live in a nested frame, as in many older HIS.
(function () {
  const queue = document.getElementById('queue');
  const info = document.getElementById('pat-info');
  const ordersFrame = document.getElementById('orders-frame');
  let patients = [];

  function ordersDoc() { return ordersFrame.contentDocument; }

  function open(index) {
    const p = patients[index];
    if (!p) return;
    for (const li of queue.children) li.classList.toggle('active', li.dataset.index === String(index));
    info.textContent = '姓名：' + p.name + '　性别：' + p.gender + '　年龄：' + p.age + '　证件号：' + p.idCard + '　门诊号：' + p.visitNo;
    const doc = ordersDoc();
    const list = doc.getElementById('orders');
    list.replaceChildren();
    for (const o of p.orders || []) {
      const li = doc.createElement('li');
      const span = doc.createElement('span');
      span.className = 'item';
      span.textContent = o.name;
      if (o.code) span.setAttribute('data-code', o.code);
      li.append(span);
      list.append(li);
    }
    doc.getElementById('note').textContent = '';
  }

  function ready() {
    return new Promise((resolve) => {
      const doc = ordersDoc();
      if (doc && doc.readyState === 'complete' && doc.getElementById('orders')) resolve();
      else ordersFrame.addEventListener('load', () => resolve(), { once: true });
    });
  }

  Promise.all([fetch('/emr/api/patients').then((r) => r.json()), ready()]).then(([list]) => {
    patients = list;
    list.forEach((p, i) => {
      const li = document.createElement('li');
      li.dataset.index = String(i);
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = p.name + '　' + p.gender + '　' + p.age;
      b.addEventListener('click', () => open(i));
      li.append(b);
      queue.append(li);
    });
    // The shell's query string says which patient to open (?open=0), as a HIS link would.
    const wanted = new URLSearchParams(parent.location.search).get('open');
    if (wanted !== null) open(Number(wanted));
  });
  window.demoEmr = { open: open };
})();
