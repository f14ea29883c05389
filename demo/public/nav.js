// The portal's masthead and navigation, the same on every demo page (the framework and
// strict-CSP pages included), with the current page marked. Built with textContent only: the
// pages run under Trusted Types.
const PAGES = [
  ['/', 'Licence renewal', 'catalog'],
  ['/permit.html', 'Event permit', 'order token'],
  ['/donate.html', 'Donation', 'payer’s amount'],
  ['/fines.html', 'Parking fine', 'FormSG'],
  ['/examples/react.html', 'React'],
  ['/examples/vue.html', 'Vue'],
  ['/examples/angular.html', 'Angular'],
  ['/strict-csp.html', 'Strict CSP'],
  ['/paysg/admin/', 'Back office', 'staff'],
];

const masthead = document.createElement('aside');
masthead.className = 'masthead';
masthead.setAttribute('aria-label', 'About this site');
masthead.textContent = 'A demonstration portal for paysg-checkout. Not a real government service.';

const header = document.createElement('header');
header.className = 'site-header';
const home = document.createElement('a');
home.className = 'site-name';
home.href = '/';
home.textContent = 'Agency Services Portal';
const nav = document.createElement('nav');
nav.className = 'demo-nav';
nav.setAttribute('aria-label', 'Demo pages');
for (const [href, name, note] of PAGES) {
  const link = document.createElement('a');
  link.href = href;
  link.textContent = name;
  if (note) {
    const small = document.createElement('span');
    small.textContent = ` (${note})`;
    link.append(small);
  }
  if (location.pathname === href) link.setAttribute('aria-current', 'page');
  nav.append(link);
}
header.append(home, nav);
document.body.prepend(masthead, header);
