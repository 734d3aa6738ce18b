/** Registers every model with `wavegpu run` (Node: loaders read checkpoint files by path). */
import '../models/nsynth/register.js';
import '../models/umt/register.js';
import '../models/ddsp/register.js';
import '../models/wavenet/register.js';
import '../models/nam/register.js';
import '../models/melgan/register.js';
import '../models/hifigan/register.js';
import '../models/pwg/register.js';
import '../models/mbmelgan/register.js';
