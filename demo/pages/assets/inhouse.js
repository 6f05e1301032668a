// The in-house EMR embedding the Huren widget directly (<huren-panel>): it passes patient,
// orders and user as data, puts citations into its note and files the decisions it receives.
(function () {
  const panel = document.getElementById('huren');
  const config = { fhirBaseUrl: location.origin + '/fhir/R4', receivingInstitution: 'zj-rmyy', packs: [location.origin + '/packs/demo.json'] };
  // The hospital's hub (set by the demo server when it runs one): decisions and events go there.
  const hub = document.body.dataset.hub;
  if (hub) config.hub = JSON.parse(hub);
  // ?consent=1: a hospital that requires the patient's consent (患者授权) before the platform is asked.
  if (new URLSearchParams(location.search).get('consent') === '1') config.consent = { required: true };
  const emr = window.InhouseEmr;
  const options = function (context) {
    return { context: context, config: config, onDecision: emr.receiveDecision, onInsertNote: emr.insertNote };
  };
  panel.options = options(null);
  emr.start(function (context) { panel.options = options(context); });
})();
