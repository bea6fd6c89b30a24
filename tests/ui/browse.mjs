// The web UI's browser test: headless Debian chromium, driven by
// playwright-core, walks one application's UI the way a user does and
// checks that what the pages show equals what the REST API answers.
//
//   node browse.mjs APP_URL API_URL SCREENSHOT_DIR LABEL
//
// APP_URL: the application's pages ("http://127.0.0.1:4040/" live,
// "http://127.0.0.1:18080/history/<appId>/" in the history server);
// API_URL: its REST root (".../api/v1/applications/<appId>"). Loads the
// jobs page, clicks the first job (active, else failed, else completed),
// then its first stage, then checks the tasks; then the storage, executors
// and environment tabs; then, when the Stages page has a fair scheduler
// pools table (a live FAIR context), each pool's active stages and running
// tasks, and the page of the first pool running something.
// Screenshots <SCREENSHOT_DIR>/<LABEL>-<page>.png.
// Prints what it checked; exits 1 naming the first mismatch.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.EMBER_NODE_MODULES, 'x.js'));
const { chromium } = require('playwright-core');
const [appUrl, apiUrl, shots, label] = process.argv.slice(2);

function check(what, shown, expected) {
  if (JSON.stringify(shown) !== JSON.stringify(expected)) {
    throw new Error(`${label}: ${what}: the page shows ${JSON.stringify(shown)}, the REST API says ${JSON.stringify(expected)}`);
  }
  console.log(`ok ${label}: ${what} = ${JSON.stringify(expected)}`);
}

async function rest(path) {
  const response = await fetch(apiUrl + path);
  if (!response.ok) throw new Error(`${apiUrl + path}: HTTP ${response.status}`);
  return response.json();
}

// The text of the cells with data-field=`field` in the rows of `table`.
async function column(page, table, field) {
  return page.$$eval(`#${table} td[data-field="${field}"]`, cells => cells.map(c => c.textContent.trim()));
}

async function summary(page) {
  return page.$$eval('dd[data-field]', dds => Object.fromEntries(dds.map(d => [d.dataset.field, d.textContent.trim()])));
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${label}-${name}.png`), fullPage: true });
}

async function jobsToStage(page) {
  await page.goto(appUrl + 'jobs/');
  await shot(page, 'jobs');
  const jobs = await rest('/jobs');
  const sections = { 'active-jobs': 'RUNNING', 'failed-jobs': 'FAILED', 'completed-jobs': 'SUCCEEDED' };
  for (const [table, status] of Object.entries(sections)) {
    check(`${table} job ids`, await column(page, table, 'jobId'),
          jobs.filter(j => j.status === status).map(j => String(j.jobId)));
  }
  const table = Object.keys(sections).find(t => jobs.some(j => j.status === sections[t]));
  await page.click(`#${table} td[data-field="name"] a`);
  const jobId = Number(new URL(page.url()).searchParams.get('id'));
  const job = await rest(`/jobs/${jobId}`);
  await shot(page, 'job');
  check(`job ${jobId} summary`, await summary(page), { status: job.status, numTasks: String(job.numTasks) });
  check(`job ${jobId} stage ids`, (await column(page, 'job-stages', 'stageId')).map(Number).sort(),
        [...job.stageIds].sort());
  await page.click('#job-stages td[data-field="name"] a');
  return page;
}

async function stageTasks(page) {
  const params = new URL(page.url()).searchParams;
  const [stageId, attempt] = [params.get('id'), params.get('attempt')];
  const stage = await rest(`/stages/${stageId}/${attempt}`);
  await shot(page, 'stage');
  check(`stage ${stageId} summary`, await summary(page), {
    status: stage.status, numTasks: String(stage.numTasks),
    numCompleteTasks: String(stage.numCompleteTasks), numFailedTasks: String(stage.numFailedTasks) });
  const tasks = Object.values(stage.tasks).sort((a, b) => a.taskId - b.taskId);
  check(`stage ${stageId} task ids`, await column(page, 'tasks', 'taskId'), tasks.map(t => String(t.taskId)));
  check(`stage ${stageId} task statuses`, await column(page, 'tasks', 'status'), tasks.map(t => t.status));
  check(`stage ${stageId} task executors`, await column(page, 'tasks', 'executorId'), tasks.map(t => t.executorId));
}

async function otherTabs(page) {
  await page.click('nav a[href$="storage/"]');
  await shot(page, 'storage');
  check('cached RDD ids', await column(page, 'rdds', 'id'), (await rest('/storage/rdd')).map(r => String(r.id)));
  await page.click('nav a[href$="executors/"]');
  await shot(page, 'executors');
  const executors = await rest('/allexecutors');
  for (const field of ['id', 'activeTasks', 'failedTasks', 'completedTasks', 'totalTasks']) {
    check(`executors' ${field}`, await column(page, 'executors', field), executors.map(e => String(e[field])));
  }
  await page.click('nav a[href$="environment/"]');
  await shot(page, 'environment');
  const env = await rest('/environment');
  check('spark properties shown', await column(page, 'sparkProperties', 'value'), env.sparkProperties.map(p => String(p[1])));
}

async function pools(page) {
  await page.click('nav a[href$="stages/"]');
  if (!(await page.$('#pools'))) return;
  await shot(page, 'stages');
  const active = await rest('/stages?status=active');
  const names = await column(page, 'pools', 'name');
  const inPool = name => active.filter(s => s.schedulingPool === name);
  check("pools' active stages", await column(page, 'pools', 'activeStages'),
        names.map(n => String(inPool(n).length)));
  check("pools' running tasks", await column(page, 'pools', 'runningTasks'),
        names.map(n => String(inPool(n).reduce((sum, s) => sum + s.numActiveTasks, 0))));
  const busy = names.findIndex(n => inPool(n).length > 0);
  if (busy < 0) return;
  await page.locator('#pools td[data-field="name"] a').nth(busy).click();
  await shot(page, 'pool');
  check(`pool ${names[busy]} active stage ids`,
        (await column(page, 'active-stages', 'stageId')).map(Number).sort((a, b) => a - b),
        inPool(names[busy]).map(s => s.stageId).sort((a, b) => a - b));
}

// A fresh profile each run (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ember-ui-chromium-')), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await stageTasks(await jobsToStage(page));
  await otherTabs(page);
  await pools(page);
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
