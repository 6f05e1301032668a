// The demo EMR's own script: it knows nothing about Huren. Patients come from the hospital's
// HIS (here /emr/api/patients); switching patients updates the page in place, like an SPA.
(function () {
  const queue = document.getElementById('queue');
  const banner = document.getElementById('patient-banner');
  const orders = document.querySelector('#order-list tbody');
  const select = document.getElementById('order-item');
  let patients = [];

  function field(name) { return banner.querySelector('[data-field="' + name + '"]'); }
  function masked(id) { return id.slice(0, 6) + '********' + id.slice(-4); }

  function addOrder(name, code) {
    const tr = document.createElement('tr');
    const imaging = /^[A-Z]+-/.test(code || '');
    tr.innerHTML = '<td data-field="order-name"></td><td></td><td>待提交</td><td><button type="button" class="remove">删除</button></td>';
    tr.cells[0].textContent = name;
    if (code) tr.cells[0].setAttribute('data-code', code);
    tr.cells[1].textContent = imaging ? '检查' : '检验';
    tr.querySelector('.remove').addEventListener('click', () => tr.remove());
    orders.append(tr);
  }

  function open(index) {
    const p = patients[index];
    if (!p) return;
    for (const li of queue.children) li.classList.toggle('active', li.dataset.index === String(index));
    field('name').textContent = p.name;
    field('gender').textContent = p.gender;
    field('age').textContent = p.age;
    // The HIS keeps the full number in an attribute and shows it masked, as many EMRs do.
    field('id-card').textContent = masked(p.idCard);
    field('id-card').setAttribute('data-value', p.idCard);
    field('visit-no').textContent = p.visitNo;
    banner.hidden = false;
    document.getElementById('no-patient').hidden = true;
    document.getElementById('orders-card').hidden = false;
    document.getElementById('note-card').hidden = false;
    orders.replaceChildren();
    for (const o of p.orders || []) addOrder(o.name, o.code);
    document.getElementById('note').value = '';
  }

  document.getElementById('order-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const opt = select.options[select.selectedIndex];
    addOrder(opt.textContent, opt.value);
  });

  fetch('/emr/api/patients').then((r) => r.json()).then((list) => {
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
    const wanted = new URLSearchParams(location.search).get('open');
    if (wanted !== null) open(Number(wanted));
  });
  window.demoEmr = { open: open };
})();
