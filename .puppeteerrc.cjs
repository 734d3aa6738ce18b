// Debian's /usr/bin/chromium is used; puppeteer must not download its own browser.
module.exports = { skipDownload: true };
