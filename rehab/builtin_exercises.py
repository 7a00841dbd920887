"""The built-in exercise library, written by us for patients with pars defects.

Based on the conservative protocol in ../shared/clinical.md: specific stabilisation of the deep
abdominals with lumbar multifidus (O'Sullivan 1997, Spine 22:2959), flexion-biased rather than
extension exercise (Sinaki 1989, PMID 2527488), hamstring stretching, progressing in phases.
Plain data, so the data migration that loads it needs no models. Instructions: one step a line.
"""

NO_ARCH = "Do not arch your lower back or bend backwards."
STOP_IF_PAIN = "Stop and tell your physio if it causes pain down your leg, numbness or tingling."

BUILTIN_EXERCISES: list[dict] = [
    # Phase 1: protect and activate
    {
        "code": "abdominal-drawing-in",
        "name": "Tummy draw-in (lying)",
        "phase": "protect",
        "purpose": "Wakes up the deep tummy muscle that wraps round and supports your lower back.",
        "instructions": (
            "Lie on your back with knees bent and feet flat.\n"
            "Put your fingers just inside your hip bones.\n"
            "Breathe out and gently draw your belly button in towards your spine.\n"
            "You should feel the muscle under your fingers go firm, not bulge.\n"
            "Keep breathing normally while you hold.\n"
            "Relax slowly."
        ),
        "cautions": "Only gentle effort: about a third of your strongest squeeze.\n"
        "Do not hold your breath or flatten your back hard into the floor.",
        "sets": 1,
        "reps": 10,
        "hold_seconds": 10,
        "sessions_per_week": 7,
    },
    {
        "code": "multifidus-swelling",
        "name": "Back muscle swell (lying on your side)",
        "phase": "protect",
        "purpose": "Trains the small muscles beside your spine (multifidus) to switch on with "
        "the tummy muscle.",
        "instructions": (
            "Lie on your side with knees bent and a pillow under your head.\n"
            "Put two fingers on the muscles just beside your spine, low in your back.\n"
            "Gently draw your belly button in.\n"
            "At the same time, try to make the muscle under your fingers swell, "
            "without moving your back.\n"
            "Hold, breathing normally, then relax."
        ),
        "cautions": f"Your back should not move at all.\n{NO_ARCH}",
        "sets": 1,
        "reps": 10,
        "hold_seconds": 10,
        "sessions_per_week": 7,
    },
    {
        "code": "pelvic-tilt",
        "name": "Pelvic tilt",
        "phase": "protect",
        "purpose": "Gently flattens your lower back, which is kinder to the sore bone in your "
        "back than arching it.",
        "instructions": (
            "Lie on your back with knees bent and feet flat.\n"
            "Tighten your tummy and gently press the small of your back into the floor.\n"
            "Your bottom tilts up slightly; it stays on the floor.\n"
            "Hold, then relax back to the start.\n"
            "Do not push back into an arch."
        ),
        "cautions": NO_ARCH,
        "sets": 2,
        "reps": 10,
        "hold_seconds": 5,
        "sessions_per_week": 7,
    },
    {
        "code": "knees-to-chest",
        "name": "Knees to chest",
        "phase": "protect",
        "purpose": "A gentle stretch that rounds your lower back a little.",
        "instructions": (
            "Lie on your back with knees bent.\n"
            "Bring one knee, then the other, up towards your chest.\n"
            "Hold behind your thighs, not on top of your knees.\n"
            "Gently hug your knees in until you feel a stretch in your lower back.\n"
            "Hold, then lower one leg at a time."
        ),
        "cautions": "A stretch is fine; sharp pain is not. Lower one leg at a time.",
        "sets": 1,
        "reps": 5,
        "hold_seconds": 20,
        "sessions_per_week": 7,
    },
    {
        "code": "hamstring-stretch-lying",
        "name": "Hamstring stretch with a towel",
        "phase": "protect",
        "purpose": "Loosens tight muscles at the back of the thigh, which pull on the pelvis "
        "and lower back.",
        "instructions": (
            "Lie on your back with both knees bent.\n"
            "Put a towel or strap round the ball of one foot.\n"
            "Straighten that leg up towards the ceiling, holding the towel.\n"
            "Stop when you feel a stretch at the back of the thigh.\n"
            "Keep the other foot flat and your back relaxed on the floor.\n"
            "Hold, then swap legs."
        ),
        "cautions": f"Stretch, never bounce.\n{STOP_IF_PAIN}",
        "sets": 3,
        "reps": 1,
        "hold_seconds": 30,
        "sessions_per_week": 7,
    },
    # Phase 2: stabilise and strengthen
    {
        "code": "heel-slides",
        "name": "Heel slides",
        "phase": "stabilise",
        "purpose": "Keeps the deep muscles switched on while your legs move.",
        "instructions": (
            "Lie on your back with knees bent and draw your belly button in gently.\n"
            "Slowly slide one heel along the floor until the leg is straight.\n"
            "Slide it back. Your back and pelvis must not move.\n"
            "Swap legs. One slide out and back is one rep."
        ),
        "cautions": f"If your back starts to arch, make the slide shorter.\n{NO_ARCH}",
        "sets": 2,
        "reps": 10,
        "hold_seconds": 0,
        "sessions_per_week": 5,
    },
    {
        "code": "dead-bug",
        "name": "Dead bug",
        "phase": "stabilise",
        "purpose": "Builds control of your trunk while arms and legs move, like in sport.",
        "instructions": (
            "Lie on your back. Lift your knees over your hips, shins level.\n"
            "Point your arms up to the ceiling.\n"
            "Draw your belly button in and keep the small of your back touching the floor.\n"
            "Slowly lower one arm behind you and the opposite leg towards the floor.\n"
            "Go only as far as your back stays flat.\n"
            "Come back and swap sides."
        ),
        "cautions": NO_ARCH,
        "sets": 2,
        "reps": 8,
        "hold_seconds": 3,
        "sessions_per_week": 5,
    },
    {
        "code": "bird-dog",
        "name": "Bird dog (arm and leg reach)",
        "phase": "stabilise",
        "purpose": "Trains the back and tummy muscles to hold your spine still while you reach.",
        "instructions": (
            "Kneel on all fours: hands under shoulders, knees under hips.\n"
            "Draw your belly button in. Keep your back flat like a table.\n"
            "Slowly reach one arm forward and the opposite leg back, only to level.\n"
            "Hold without tipping, then come back and swap sides."
        ),
        "cautions": f"Do not lift the leg higher than your hip.\n{NO_ARCH}",
        "sets": 2,
        "reps": 8,
        "hold_seconds": 5,
        "sessions_per_week": 5,
    },
    {
        "code": "side-plank-knees",
        "name": "Side plank on knees",
        "phase": "stabilise",
        "purpose": "Strengthens the muscles at the side of your trunk without bending your back.",
        "instructions": (
            "Lie on your side, propped on your elbow, knees bent behind you.\n"
            "Draw your belly button in.\n"
            "Lift your hips so your body is straight from knees to head.\n"
            "Hold, breathing normally, then lower. Do both sides."
        ),
        "cautions": "Keep your elbow under your shoulder. Do not let your hips sag.",
        "sets": 2,
        "reps": 5,
        "hold_seconds": 10,
        "sessions_per_week": 4,
    },
    {
        "code": "partial-curl-up",
        "name": "Small curl-up",
        "phase": "stabilise",
        "purpose": "Makes your front tummy muscles stronger by curling up, not arching.",
        "instructions": (
            "Lie on your back with knees bent, hands across your chest.\n"
            "Draw your belly button in.\n"
            "Lift your head and shoulders a little way off the floor, chin tucked.\n"
            "Hold, then lower slowly."
        ),
        "cautions": "A small lift is enough: do not pull on your neck or sit all the way up.",
        "sets": 2,
        "reps": 10,
        "hold_seconds": 3,
        "sessions_per_week": 4,
    },
    {
        "code": "wall-squat",
        "name": "Wall squat",
        "phase": "stabilise",
        "purpose": "Strengthens your legs so they, not your back, take the load.",
        "instructions": (
            "Stand with your back against a wall, feet a step forward, hip-width apart.\n"
            "Draw your belly button in.\n"
            "Slide down the wall until your knees are bent to about a right angle or less.\n"
            "Hold, then slide back up."
        ),
        "cautions": f"Keep your lower back against the wall.\n{NO_ARCH}",
        "sets": 2,
        "reps": 8,
        "hold_seconds": 10,
        "sessions_per_week": 4,
    },
    {
        "code": "hamstring-stretch-standing",
        "name": "Hamstring stretch on a step",
        "phase": "stabilise",
        "purpose": "Keeps the backs of the thighs long as you get more active.",
        "instructions": (
            "Stand facing a low step. Put one heel on it, leg straight, toes up.\n"
            "Keep your back straight and lean forward from the hips.\n"
            "Stop when you feel a stretch behind the thigh.\n"
            "Hold, then swap legs."
        ),
        "cautions": "Bend from the hips, not by rounding hard through your back. Never bounce.",
        "sets": 3,
        "reps": 1,
        "hold_seconds": 30,
        "sessions_per_week": 7,
    },
    # Phase 3: prepare for sport
    {
        "code": "plank-forearms",
        "name": "Front plank",
        "phase": "return",
        "purpose": "Builds trunk endurance for training and matches.",
        "instructions": (
            "Lie on your front, propped on your forearms.\n"
            "Draw your belly button in and lift onto your forearms and toes "
            "(or knees to start).\n"
            "Keep a straight line from head to heels.\n"
            "Hold, breathing normally, then lower."
        ),
        "cautions": f"Do not let your hips sag towards the floor.\n{NO_ARCH}",
        "sets": 3,
        "reps": 1,
        "hold_seconds": 30,
        "sessions_per_week": 4,
    },
    {
        "code": "single-leg-bridge-neutral",
        "name": "Bridge (flat back)",
        "phase": "return",
        "purpose": "Strengthens your bottom muscles so they share the work with your back.",
        "instructions": (
            "Lie on your back with knees bent and feet flat.\n"
            "Draw your belly button in and squeeze your bottom.\n"
            "Lift your hips only until your body is a straight line from knees to shoulders.\n"
            "Hold, then lower slowly. When this is easy, try it on one leg."
        ),
        "cautions": f"Stop at a straight line: going higher arches your back.\n{NO_ARCH}",
        "sets": 3,
        "reps": 10,
        "hold_seconds": 3,
        "sessions_per_week": 4,
    },
    {
        "code": "split-squat",
        "name": "Split squat",
        "phase": "return",
        "purpose": "Builds leg strength and control for running, jumping and landing.",
        "instructions": (
            "Stand with one foot a long step in front of the other.\n"
            "Keep your trunk upright and your tummy drawn in.\n"
            "Bend both knees to lower straight down, then push back up.\n"
            "Do all the reps, then swap legs."
        ),
        "cautions": f"Keep your front knee over your toes.\n{NO_ARCH}",
        "sets": 3,
        "reps": 8,
        "hold_seconds": 0,
        "sessions_per_week": 3,
    },
    {
        "code": "pallof-press",
        "name": "Band press (anti-twist)",
        "phase": "return",
        "purpose": "Trains your trunk to resist twisting, as in throwing, bowling and rowing.",
        "instructions": (
            "Tie an exercise band at chest height. Stand side-on to it, holding the band "
            "at your chest.\n"
            "Draw your belly button in and stand tall.\n"
            "Push the band straight out in front of you without letting your body turn.\n"
            "Hold, bring it back, then do the other side."
        ),
        "cautions": "Your hips and shoulders stay facing forward the whole time.",
        "sets": 3,
        "reps": 10,
        "hold_seconds": 2,
        "sessions_per_week": 3,
    },
]
