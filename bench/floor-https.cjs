// The floor of a cluster command: one HTTPS GET of /version with the kubeconfig's client
// certificate, node:https and nothing else (the local cluster's kubeconfig names its files).
const { readFileSync } = require('node:fs');
const https = require('node:https');

const kubeconfig = readFileSync(process.env.KUBECONFIG, 'utf8');
const field = (key) => kubeconfig.match(new RegExp(`${key}: (\\S+)`))[1];
const server = new URL(field('server'));
const tls = {
  ca: readFileSync(field('certificate-authority')),
  cert: readFileSync(field('client-certificate')),
  key: readFileSync(field('client-key')),
};
https.get({ host: server.hostname, port: server.port, path: '/version', ...tls }, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => console.log(JSON.parse(body).gitVersion));
});
