package dev.nines.demo;

/**
 * The outcome of a game day: the configuration and both runs.
 *
 * @param config the game played
 * @param nines  the run with nines protecting the shop
 * @param none   the run without
 */
record GameReport(GameConfig config, RunReport nines, RunReport none) {
}
