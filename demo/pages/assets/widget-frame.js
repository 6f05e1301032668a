// Starts the panel in the Huren frame page for the host origins its server allowed.
HurenWidget.startFrame(document.getElementById('huren'), {
  allowedOrigins: document.documentElement.dataset.hurenAllowedOrigins.split(/\s+/).filter(Boolean),
});
