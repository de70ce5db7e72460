'use strict';
/**
 * A tiny CartPole for the reinforcement-learning examples, in place of gym's CartPole-v1: the same
 * constants, actions, reward and termination, with the pole's equations linearized around upright
 * (sin(theta) ~ theta, cos(theta) ~ 1). That keeps every step to +, -, * and / on doubles, which
 * round identically in JS and Python, so a Python twin (test/fixtures/make_reinforce.py) follows
 * exactly the same trajectory. The initial state is drawn with a torch.Generator, as uniform(-0.05,
 * 0.05) like gym's, so it is the same in both languages too.
 */
class CartPole {
  constructor(torch) {
    this.torch = torch;
    this.gravity = 9.8;
    this.masscart = 1.0;
    this.masspole = 0.1;
    this.total_mass = this.masspole + this.masscart;
    this.length = 0.5; // half the pole's length
    this.polemass_length = this.masspole * this.length;
    this.force_mag = 10.0;
    this.tau = 0.02; // seconds between state updates
    this.theta_threshold_radians = (12 * 2 * Math.PI) / 360;
    this.x_threshold = 2.4;
    this.spec = { reward_threshold: 475.0 };
    this.generator = new torch.Generator();
    this.state = null;
  }

  /** reset({seed}) -> [observation, info]; observation is a Float32Array of 4. */
  reset(options = {}) {
    if (options.seed !== undefined) this.generator.manual_seed(options.seed);
    const u = this.torch.rand([4], { generator: this.generator, dtype: this.torch.float64 });
    this.state = Array.from(u.to_typed_array(), (v) => v * 0.1 - 0.05);
    return [Float32Array.from(this.state), {}];
  }

  /** step(action) -> [observation, reward, terminated, truncated, info] */
  step(action) {
    let [x, x_dot, theta, theta_dot] = this.state;
    const force = action === 1 ? this.force_mag : -this.force_mag;
    const temp = (force + this.polemass_length * theta_dot * theta_dot * theta) / this.total_mass;
    const thetaacc = (this.gravity * theta - temp) / (this.length * (4.0 / 3.0 - this.masspole / this.total_mass));
    const xacc = temp - (this.polemass_length * thetaacc) / this.total_mass;
    x = x + this.tau * x_dot;
    x_dot = x_dot + this.tau * xacc;
    theta = theta + this.tau * theta_dot;
    theta_dot = theta_dot + this.tau * thetaacc;
    this.state = [x, x_dot, theta, theta_dot];
    const terminated = x < -this.x_threshold || x > this.x_threshold
      || theta < -this.theta_threshold_radians || theta > this.theta_threshold_radians;
    return [Float32Array.from(this.state), 1.0, terminated, false, {}];
  }
}

module.exports = { CartPole };
