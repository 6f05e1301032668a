// The in-house EMR's own page logic, shared by its two embeddings of Huren (direct and iframe):
// patient list, orders being placed, the note, and the decisions the hospital received.
// Everything here is the host's own data, in the host's origin.
window.InhouseEmr = (function () {
  const user = { physician: '王芳', department: '呼吸内科' };
  const note = document.getElementById('note');
  const orderList = document.getElementById('orders');
  const decisions = document.getElementById('decisions');
  let patient = null;
  let orders = [];
  let onChange = function () {};
  const names = new Map();

  function context() {
    if (!patient) return null;
    return {
      patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.3', value: patient.idCard }, name: patient.name, gender: patient.gender, age: patient.age },
      orders: orders.slice(),
      user: user,
    };
  }

  function renderOrders() {
    orderList.replaceChildren();
    for (const o of orders) {
      const li = document.createElement('li');
      li.textContent = o.name + '（开立中）';
      orderList.append(li);
    }
  }

  function open(p) {
    patient = p;
    orders = (p.orders || []).slice();
    renderOrders();
    note.value = '';
    document.getElementById('current').textContent = p.name + '　' + p.gender + '　' + p.age;
    onChange(context());
  }

  document.getElementById('order-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!patient) return;
    const select = document.getElementById('order-item');
    orders.push({ name: select.selectedOptions[0].textContent, code: select.value });
    renderOrders();
    onChange(context());
  });

  return {
    /** Builds the patient list; `changed(context)` is called on every patient or order change. */
    start: function (changed) {
      onChange = changed;
      return fetch('/emr/api/patients').then(function (r) { return r.json(); }).then(function (list) {
        const queue = document.getElementById('queue');
        list.forEach(function (p) {
          names.set(p.idCard, p.name);
          const li = document.createElement('li');
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = p.name + '　' + p.gender + '　' + p.age;
          b.addEventListener('click', function () {
            for (const el of queue.children) el.classList.toggle('active', el === li);
            open(p);
          });
          li.append(b);
          queue.append(li);
        });
        // ?open=N opens the N-th patient of the list (an index, never an identifier).
        const wanted = new URLSearchParams(location.search).get('open');
        if (wanted !== null && queue.children[Number(wanted)]) queue.children[Number(wanted)].querySelector('button').click();
      });
    },
    /** onInsertNote: the physician clicked 插入病历; the host decides where the text goes. */
    insertNote: function (text) {
      if (!patient) return false;
      note.value = note.value ? note.value.replace(/\s*$/, '\n') + text : text;
      return true;
    },
    /** onDecision: a CDS Hooks feedback entry; the hospital files it (here: listed). */
    receiveDecision: function (d) {
      const about = d.extension['cn.huren.decision'];
      const li = document.createElement('li');
      li.dataset.uuid = d.uuid;
      li.dataset.outcome = d.outcome;
      const what = d.outcome === 'accepted' ? '互认' : '复查（' + d.overrideReason.reason.display + '）';
      li.textContent = new Date(d.outcomeTimestamp).toLocaleTimeString('zh-CN', { hour12: false }) + '　' + (names.get(about.patient.value) || '') + '　' + about.item.name + '　' + what;
      decisions.prepend(li);
    },
  };
})();
