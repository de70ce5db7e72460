'use strict';
// pytorch/examples reinforcement_learning/reinforce.py, ported line by line; a JS CartPole
// (./cartpole.js) stands in for gym's. Run: node examples/reinforcement_learning/reinforce.js [--seed N]
// [--gamma G] [--log-interval N] [--max-episodes N]  (--max-episodes is an addition: stop after N episodes)
const path = require('path');
const torch = require(process.env.TORCH_NODE || path.join(__dirname, '..', '..', 'dist'));
const { CartPole } = require('./cartpole');
const nn = torch.nn;
const F = torch.nn.functional;
const optim = torch.optim;
const { Categorical } = torch.distributions;

// argparse: --gamma, --seed, --render, --log-interval (and --max-episodes)
const args = { gamma: 0.99, seed: 543, render: false, log_interval: 10, max_episodes: Infinity };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--render') args.render = true;
  else if (a === '--gamma') args.gamma = Number(process.argv[++i]);
  else if (a === '--seed') args.seed = Number(process.argv[++i]);
  else if (a === '--log-interval') args.log_interval = Number(process.argv[++i]);
  else if (a === '--max-episodes') args.max_episodes = Number(process.argv[++i]);
  else throw new Error(`unknown argument ${a}`);
}

const env = new CartPole(torch);
env.reset({ seed: args.seed });
torch.manual_seed(args.seed);

class Policy extends nn.Module {
  constructor() {
    super();
    this.affine1 = new nn.Linear(4, 128);
    this.dropout = new nn.Dropout({ p: 0.6 });
    this.affine2 = new nn.Linear(128, 2);

    this.saved_log_probs = [];
    this.rewards = [];
  }

  forward(x) {
    x = this.affine1(x);
    x = this.dropout(x);
    x = F.relu(x);
    const action_scores = this.affine2(x);
    return F.softmax(action_scores, { dim: 1 });
  }
}

const policy = new Policy();
const optimizer = new optim.Adam(policy.parameters(), { lr: 1e-2 });
const eps = torch.finfo(torch.float32).eps;

function select_action(state) {
  state = torch.tensor(Array.from(state)).float().unsqueeze(0);
  const probs = policy(state);
  const m = new Categorical(probs);
  const action = m.sample();
  policy.saved_log_probs.push(m.log_prob(action));
  return Number(action.item());
}

function finish_episode() {
  let R = 0;
  const policy_loss = [];
  let returns = [];
  for (const r of [...policy.rewards].reverse()) {
    R = r + args.gamma * R;
    returns.unshift(R);
  }
  returns = torch.tensor(returns);
  returns = returns.sub(returns.mean()).div(returns.std().add(eps));
  policy.saved_log_probs.forEach((log_prob, i) => {
    policy_loss.push(log_prob.neg().mul(returns.idx(i)));
  });
  optimizer.zero_grad();
  const loss = torch.cat(policy_loss).sum();
  loss.backward();
  optimizer.step();
  policy.rewards.length = 0;
  policy.saved_log_probs.length = 0;
  return Number(loss.item());
}

function main() {
  let running_reward = 10;
  for (let i_episode = 1; i_episode <= args.max_episodes; i_episode++) {
    let [state] = env.reset();
    let ep_reward = 0;
    let t;
    for (t = 1; t < 10000; t++) { // Don't infinite loop while learning
      const action = select_action(state);
      const [next, reward, done] = env.step(action);
      state = next;
      policy.rewards.push(reward);
      ep_reward += reward;
      if (done) break;
    }

    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward;
    const loss = finish_episode();
    if (process.env.REINFORCE_TRACE) console.log(JSON.stringify({ episode: i_episode, ep_reward, running_reward, loss }));
    if (i_episode % args.log_interval === 0) {
      console.log(`Episode ${i_episode}\tLast reward: ${ep_reward.toFixed(2)}\tAverage reward: ${running_reward.toFixed(2)}`);
    }
    if (running_reward > env.spec.reward_threshold) {
      console.log(`Solved! Running reward is now ${running_reward} and the last episode runs to ${t} time steps!`);
      break;
    }
  }
}

main();
