"""Ready-made surveys a facilitator can start from, in every shipped language.

Each template turns one list from the seed documents into an anonymous
feedback survey:

- ``health_check``: the ten "Challenges of Partnership" (seed 000), each as a
  statement of how well the partnership is doing on it;
- ``ingredients``: the thirteen "Ingredients of Success" (seed 000) as a
  self-assessment;
- ``strategic_planning``: feedback on each part of a joint strategic plan
  (seed 001: vision statement, guiding principles, goals, strategies and
  recommended actions).

A template is plain data. Every text is a mapping from language code to text,
with one entry for each of :data:`LANGUAGES`; a question's ``help`` is either
such a mapping or ``{}``. The wording says "our partnership" rather than naming
one system, so that any workforce partnership can use it as it stands. Every
question is optional: a participant may skip whatever they prefer not to answer.
"""

from .languages import LANGUAGES as _LANGUAGE_NAMES
from .surveys import CHOICE_KINDS, KINDS, PHASES  # noqa: F401  (the vocabulary templates are checked against)

LANGUAGES = tuple(_LANGUAGE_NAMES)


def _t(en, es, vi, zh_Hans, ar):
    """Gather one text in every shipped language."""
    return {"en": en, "es": es, "vi": vi, "zh_Hans": zh_Hans, "ar": ar}


def _question(kind, text, help_=None):
    """Make an optional question of ``kind``; ``help_`` is a text, or None."""
    return {
        "kind": kind,
        "text": text,
        "help": dict(help_) if help_ else {},
        "required": False,
    }


def _agreement(text, help_=None):
    """Make a statement rated on the five-point agreement scale."""
    return _question("agreement", text, help_)


def _comment(text, help_=None):
    """Make an open question, answered in a few sentences."""
    return _question("long_text", text, help_)


# Open comments are where people most easily give themselves away.
_PRIVACY_HELP = _t(
    en=(
        "Please leave out names and details that could identify anyone, including "
        "yourself."
    ),
    es=(
        "Por favor, omita nombres y datos que permitan identificar a cualquier "
        "persona, incluso a usted."
    ),
    vi=(
        "Xin vui lòng không nêu tên hoặc các chi tiết có thể giúp nhận ra bất kỳ ai, "
        "kể cả chính quý vị."
    ),
    zh_Hans="请勿填写可能识别出任何人（包括您本人）身份的姓名或细节。",
    ar="يُرجى عدم ذكر أسماء أو تفاصيل قد تكشف عن هوية أي شخص، بما في ذلك هويتك أنت.",
)

# Said in every introduction: answers are anonymous.
_ANONYMOUS = _t(
    en=(
        "Your answers are anonymous: we never ask for your name, so please answer "
        "frankly."
    ),
    es=(
        "Sus respuestas son anónimas: nunca le pediremos su nombre, así que le "
        "invitamos a responder con franqueza."
    ),
    vi=(
        "Câu trả lời của quý vị là ẩn danh: chúng tôi không bao giờ hỏi tên quý vị, vì "
        "vậy xin quý vị hãy trả lời thẳng thắn."
    ),
    zh_Hans="您的回答是匿名的：我们绝不会询问您的姓名，请坦诚作答。",
    ar="إجاباتك مجهولة الهوية: لن نطلب منك اسمك أبدًا، لذا نرجو أن تجيب بصراحة.",
)


def _intro(text):
    """Follow ``text``, in each language, with the promise of anonymity."""
    separator = {"zh_Hans": ""}  # Chinese sentences are not separated by spaces.
    return {
        code: text[code] + separator.get(code, " ") + _ANONYMOUS[code]
        for code in LANGUAGES
    }


# -- Partnership health check: the ten challenges of partnership -----------------
#
# Stewarding: "monitoring actions, communications, and accountability" is what
# a regular check-up on the challenges does.

_HEALTH_CHECK = {
    "phase": "stewarding",
    "title": _t(
        en="Partnership health check",
        es="Diagnóstico de la salud de la alianza",
        vi="Kiểm tra sức khỏe quan hệ đối tác",
        zh_Hans="合作伙伴关系健康检查",
        ar="فحص سلامة الشراكة",
    ),
    "description": _t(
        en=(
            "Ask partners how well the partnership is handling the ten common "
            "challenges of partnership."
        ),
        es=(
            "Pregunte a los socios qué tan bien está afrontando la alianza los diez "
            "desafíos comunes de toda alianza."
        ),
        vi=(
            "Hỏi các đối tác xem quan hệ đối tác đang xử lý mười thách thức thường gặp "
            "tốt đến mức nào."
        ),
        zh_Hans="请合作伙伴评估本合作伙伴关系应对十项常见挑战的情况。",
        ar=(
            "اطلب من الشركاء تقييم مدى نجاح الشراكة في مواجهة التحديات العشرة الشائعة "
            "في الشراكات."
        ),
    ),
    "intro": _intro(
        _t(
            en=(
                "This short check-up looks at how our partnership is handling ten "
                "common challenges of partnership. For each statement, please tell us "
                "how much you agree."
            ),
            es=(
                "Este breve diagnóstico examina cómo está afrontando nuestra alianza "
                "diez desafíos comunes de toda alianza. Para cada afirmación, indique "
                "qué tan de acuerdo está."
            ),
            vi=(
                "Bài kiểm tra ngắn này xem xét quan hệ đối tác của chúng ta đang xử lý "
                "mười thách thức thường gặp như thế nào. Với mỗi nhận định, xin quý vị "
                "cho biết mức độ đồng ý của mình."
            ),
            zh_Hans=(
                "这份简短的检查旨在了解我们的合作伙伴关系在应对十项常见挑战方面的表现。"
                "请针对每项陈述，选择您的同意程度。"
            ),
            ar=(
                "يتناول هذا الفحص القصير مدى نجاح شراكتنا في مواجهة عشرة تحديات شائعة "
                "في الشراكات. يُرجى أن تبيّن مدى موافقتك على كل عبارة."
            ),
        )
    ),
    "closing": _t(
        en=(
            "Thank you for your answers. Together they show where our partnership is "
            "strong and where it needs attention."
        ),
        es=(
            "Gracias por sus respuestas. En conjunto, muestran dónde nuestra alianza "
            "es sólida y dónde requiere atención."
        ),
        vi=(
            "Xin cảm ơn quý vị đã trả lời. Các câu trả lời sẽ cho thấy quan hệ đối tác "
            "của chúng ta đang vững mạnh ở đâu và cần quan tâm ở đâu."
        ),
        zh_Hans=(
            "感谢您的作答。汇总后的结果将显示我们的合作伙伴关系在哪些方面表现良好、在哪"
            "些方面需要改进。"
        ),
        ar=(
            "شكرًا لك على إجاباتك. فهي تبيّن معًا مواطن القوة في شراكتنا والجوانب التي "
            "تحتاج إلى اهتمام."
        ),
    ),
    "questions": [
        # 1. Building trust relationships
        _agreement(
            _t(
                en="We are building trust relationships among partners.",
                es="Estamos construyendo relaciones de confianza entre los socios.",
                vi="Chúng ta đang xây dựng mối quan hệ tin cậy giữa các đối tác.",
                zh_Hans="我们正在合作伙伴之间建立互信关系。",
                ar="نحن نبني علاقات ثقة بين الشركاء.",
            ),
            _t(
                en="Partners can rely on one another to do what they say they will do.",
                es=(
                    "Los socios pueden contar con que los demás cumplirán lo que dicen "
                    "que harán."
                ),
                vi=(
                    "Các đối tác có thể tin tưởng rằng những đối tác khác sẽ làm đúng "
                    "những gì đã cam kết."
                ),
                zh_Hans="合作伙伴可以相信彼此会兑现各自的承诺。",
                ar="يستطيع الشركاء الاعتماد بعضهم على بعض في الوفاء بما يتعهدون به.",
            ),
        ),
        # 2. Clarifying accountabilities
        _agreement(
            _t(
                en=(
                    "Accountabilities are clear: each partner knows what it is "
                    "responsible for."
                ),
                es=(
                    "Las responsabilidades están claras: cada socio sabe de qué es "
                    "responsable."
                ),
                vi=(
                    "Trách nhiệm được phân định rõ ràng: mỗi đối tác biết mình chịu "
                    "trách nhiệm về việc gì."
                ),
                zh_Hans="职责明确：每个合作伙伴都清楚自己负责什么。",
                ar="المسؤوليات واضحة: يعرف كل شريك ما هو مسؤول عنه.",
            ),
            _t(
                en="This includes knowing what the other partners are responsible for.",
                es="Esto incluye saber de qué son responsables los demás socios.",
                vi=(
                    "Điều này bao gồm cả việc biết các đối tác khác chịu trách nhiệm "
                    "về việc gì."
                ),
                zh_Hans="这也包括了解其他合作伙伴各自负责什么。",
                ar="ويشمل ذلك معرفة ما يتحمّل الشركاء الآخرون مسؤوليته.",
            ),
        ),
        # 3. Ensuring sufficient resources
        _agreement(
            _t(
                en=(
                    "Our partnership has sufficient resources to do what it has set "
                    "out to do."
                ),
                es=(
                    "Nuestra alianza cuenta con recursos suficientes para lograr lo "
                    "que se ha propuesto."
                ),
                vi=(
                    "Quan hệ đối tác của chúng ta có đủ nguồn lực để thực hiện những "
                    "gì đã đề ra."
                ),
                zh_Hans="我们的合作伙伴关系拥有足够的资源来实现既定目标。",
                ar="تمتلك شراكتنا موارد كافية لتحقيق ما عزمت على إنجازه.",
            ),
            _t(
                en=(
                    "Resources include funding, staff time, space, technology and "
                    "expertise."
                ),
                es=(
                    "Los recursos incluyen financiamiento, tiempo del personal, "
                    "espacio, tecnología y conocimientos especializados."
                ),
                vi=(
                    "Nguồn lực bao gồm kinh phí, thời gian của nhân viên, cơ sở vật "
                    "chất, công nghệ và chuyên môn."
                ),
                zh_Hans="资源包括资金、员工时间、场地、技术和专业知识。",
                ar="تشمل الموارد التمويل ووقت الموظفين والمرافق والتكنولوجيا والخبرات.",
            ),
        ),
        # 4. Being clear about motivation
        _agreement(
            _t(
                en=(
                    "Partners are clear and open about why they take part in the "
                    "partnership."
                ),
                es=(
                    "Los socios son claros y abiertos sobre por qué participan en la "
                    "alianza."
                ),
                vi=(
                    "Các đối tác rõ ràng và cởi mở về lý do mình tham gia quan hệ đối "
                    "tác."
                ),
                zh_Hans="各合作伙伴对自己参与合作伙伴关系的原因清楚且坦诚。",
                ar="يوضّح الشركاء بصراحة ووضوح أسباب مشاركتهم في الشراكة.",
            ),
            _t(
                en=(
                    "Each partner's reasons and expected benefits are understood by "
                    "the others."
                ),
                es=(
                    "Los demás socios comprenden las razones de cada socio y los "
                    "beneficios que espera obtener."
                ),
                vi=(
                    "Lý do và lợi ích mong đợi của mỗi đối tác đều được các đối tác "
                    "khác hiểu rõ."
                ),
                zh_Hans="其他合作伙伴了解每个合作伙伴参与的原因和期望获得的益处。",
                ar="يفهم الشركاء الآخرون دوافع كل شريك والفوائد التي يتوقعها.",
            ),
        ),
        # 5. Managing transition and change
        _agreement(
            _t(
                en="We manage transition and change well.",
                es="Gestionamos bien las transiciones y los cambios.",
                vi="Chúng ta quản lý tốt các giai đoạn chuyển tiếp và thay đổi.",
                zh_Hans="我们能够妥善应对过渡和变化。",
                ar="نُحسن إدارة المراحل الانتقالية والتغيير.",
            ),
            _t(
                en=(
                    "For example staff turnover, new partners, or changes in funding "
                    "or policy."
                ),
                es=(
                    "Por ejemplo, la rotación de personal, la llegada de nuevos socios "
                    "o los cambios en el financiamiento o en las políticas."
                ),
                vi=(
                    "Ví dụ: thay đổi nhân sự, có thêm đối tác mới, hoặc thay đổi về "
                    "kinh phí hay chính sách."
                ),
                zh_Hans="例如人员流动、新合作伙伴加入，或资金和政策的变化。",
                ar=(
                    "مثل تغيّر الموظفين، أو انضمام شركاء جدد، أو التغيّرات في التمويل أو "
                    "السياسات."
                ),
            ),
        ),
        # 6. Making direct, solid, and purposeful deals
        _agreement(
            _t(
                en="Our agreements are direct, solid and purposeful.",
                es=(
                    "Nuestros acuerdos son directos, sólidos y tienen un propósito "
                    "claro."
                ),
                vi=(
                    "Các thỏa thuận của chúng ta thẳng thắn, vững chắc và có mục đích "
                    "rõ ràng."
                ),
                zh_Hans="我们的协议直接、扎实且目标明确。",
                ar="اتفاقاتنا مباشرة ومتينة وهادفة.",
            ),
            _t(
                en=(
                    "Who does what, by when and with which resources is agreed "
                    "plainly, in writing where it matters."
                ),
                es=(
                    "Se acuerda con claridad quién hace qué, para cuándo y con qué "
                    "recursos, y se deja por escrito cuando es importante."
                ),
                vi=(
                    "Ai làm gì, khi nào và bằng nguồn lực nào đều được thống nhất rõ "
                    "ràng, và được lập thành văn bản khi cần thiết."
                ),
                zh_Hans=(
                    "谁负责什么、何时完成、使用哪些资源，都有明确约定，重要事项均以书面"
                    "形式确定。"
                ),
                ar=(
                    "يُتَّفق بوضوح على من يفعل ماذا، ومتى، وبأي موارد، ويُدوَّن ذلك كتابةً "
                    "حين يكون مهمًا."
                ),
            ),
        ),
        # 7. Effectively communicating
        _agreement(
            _t(
                en="We communicate effectively with one another.",
                es="Nos comunicamos de manera eficaz entre nosotros.",
                vi="Chúng ta giao tiếp với nhau một cách hiệu quả.",
                zh_Hans="我们彼此之间的沟通卓有成效。",
                ar="نتواصل فيما بيننا تواصلًا فعّالًا.",
            ),
            _t(
                en=(
                    "Information reaches the right people in time, among staff as well "
                    "as between leadership teams."
                ),
                es=(
                    "La información llega a tiempo a las personas indicadas, tanto "
                    "entre el personal como entre los equipos directivos."
                ),
                vi=(
                    "Thông tin đến đúng người, đúng lúc, cả giữa các nhân viên lẫn "
                    "giữa các nhóm lãnh đạo."
                ),
                zh_Hans=(
                    "信息能够及时传达给合适的人，无论是在员工之间还是在领导团队之间。"
                ),
                ar=(
                    "تصل المعلومات إلى الأشخاص المعنيين في الوقت المناسب، بين الموظفين "
                    "وبين فرق القيادة على حد سواء."
                ),
            ),
        ),
        # 8. Staying on track with the partnership's mission, values, and strategic plan
        _agreement(
            _t(
                en=(
                    "We stay on track with our partnership's mission, values and "
                    "strategic plan."
                ),
                es=(
                    "Nos mantenemos fieles a la misión, los valores y el plan "
                    "estratégico de nuestra alianza."
                ),
                vi=(
                    "Chúng ta luôn bám sát sứ mệnh, giá trị và kế hoạch chiến lược của "
                    "quan hệ đối tác."
                ),
                zh_Hans="我们始终围绕合作伙伴关系的使命、价值观和战略计划开展工作。",
                ar="نلتزم برسالة شراكتنا وقيمها وخطتها الاستراتيجية.",
            ),
        ),
        # 9. Dealing with conflict
        _agreement(
            _t(
                en="We deal with conflict openly and constructively.",
                es="Abordamos los conflictos de manera abierta y constructiva.",
                vi=(
                    "Chúng ta giải quyết xung đột một cách cởi mở và mang tính xây "
                    "dựng."
                ),
                zh_Hans="我们以开放、建设性的方式处理冲突。",
                ar="نتعامل مع الخلافات بانفتاح وبطريقة بنّاءة.",
            ),
            _t(
                en="Disagreements are raised and resolved rather than avoided.",
                es="Los desacuerdos se plantean y se resuelven en lugar de evitarse.",
                vi="Những bất đồng được nêu ra và giải quyết thay vì bị né tránh.",
                zh_Hans="分歧会被提出并得到解决，而不是被回避。",
                ar="تُطرح الخلافات وتُحلّ بدلًا من تجنّبها.",
            ),
        ),
        # 10. Avoiding burnout
        _agreement(
            _t(
                en=(
                    "We are avoiding burnout: the workload is shared fairly and is "
                    "sustainable."
                ),
                es=(
                    "Estamos evitando el agotamiento: la carga de trabajo se reparte "
                    "de forma equitativa y es sostenible."
                ),
                vi=(
                    "Chúng ta đang tránh được tình trạng kiệt sức: khối lượng công "
                    "việc được chia sẻ công bằng và có thể duy trì lâu dài."
                ),
                zh_Hans="我们正在避免倦怠：工作量分配公平，且可以长期持续。",
                ar="نحن نتجنّب الإنهاك: يُوزَّع عبء العمل بإنصاف وبشكل يمكن الاستمرار فيه.",
            ),
            _t(
                en="The partnership does not depend on a small handful of people.",
                es="La alianza no depende de un pequeño grupo de personas.",
                vi="Quan hệ đối tác không phụ thuộc vào một nhóm nhỏ người.",
                zh_Hans="合作伙伴关系并不依赖少数几个人。",
                ar="لا تعتمد الشراكة على عدد قليل من الأشخاص.",
            ),
        ),
        _comment(
            _t(
                en="What would most improve our partnership?",
                es="¿Qué mejoraría más nuestra alianza?",
                vi="Điều gì sẽ cải thiện quan hệ đối tác của chúng ta nhiều nhất?",
                zh_Hans="什么最能改善我们的合作伙伴关系？",
                ar="ما الذي من شأنه أن يحسّن شراكتنا أكثر من أي شيء آخر؟",
            ),
            _PRIVACY_HELP,
        ),
    ],
}

# -- Ingredients of success self-assessment -------------------------------------
#
# Renewing rather than developing: the renewing phase is "evaluating
# accountability, celebrating achievements, determining next steps", and a
# self-assessment against all thirteen ingredients is that evaluation. While a
# partnership is still developing, most ingredients (concrete results, mutual
# accountability, learning from mistakes) cannot yet be judged.

_INGREDIENTS = {
    "phase": "renewing",
    "title": _t(
        en="Ingredients of success self-assessment",
        es="Autoevaluación de los ingredientes del éxito",
        vi="Tự đánh giá các yếu tố thành công",
        zh_Hans="成功要素自我评估",
        ar="التقييم الذاتي لمقوّمات النجاح",
    ),
    "description": _t(
        en=(
            "Partners rate how well the partnership practices the thirteen ingredients "
            "of successful partnerships."
        ),
        es=(
            "Los socios evalúan en qué medida la alianza pone en práctica los trece "
            "ingredientes de las alianzas exitosas."
        ),
        vi=(
            "Các đối tác đánh giá mức độ quan hệ đối tác thực hiện mười ba yếu tố của "
            "các quan hệ đối tác thành công."
        ),
        zh_Hans="合作伙伴评估本合作伙伴关系对成功合作伙伴关系十三项要素的践行情况。",
        ar=(
            "يقيّم الشركاء مدى تطبيق الشراكة لمقوّمات النجاح الثلاثة عشر في الشراكات "
            "الناجحة."
        ),
    ),
    "intro": _intro(
        _t(
            en=(
                "Trusting and respectful relationships between diverse organizations "
                "are the most important ingredient of every successful partnership. "
                "The statements below describe thirteen more. For each one, please "
                "tell us how much you agree that it describes our partnership today."
            ),
            es=(
                "Las relaciones de confianza y respeto entre organizaciones diversas "
                "son el ingrediente más importante de toda alianza exitosa. Las "
                "afirmaciones siguientes describen otros trece. Para cada una, indique "
                "qué tan de acuerdo está en que describe a nuestra alianza hoy."
            ),
            vi=(
                "Mối quan hệ tin cậy và tôn trọng giữa các tổ chức đa dạng là yếu tố "
                "quan trọng nhất của mọi quan hệ đối tác thành công. Các nhận định "
                "dưới đây mô tả thêm mười ba yếu tố khác. Với mỗi nhận định, xin quý "
                "vị cho biết mức độ đồng ý rằng nhận định đó đúng với quan hệ đối tác "
                "của chúng ta hiện nay."
            ),
            zh_Hans=(
                "不同组织之间互信互敬的关系，是所有成功合作伙伴关系中最重要的要素。以下"
                "陈述描述了另外十三项要素。请针对每项陈述，选择您在多大程度上同意它符合"
                "我们合作伙伴关系的现状。"
            ),
            ar=(
                "إن العلاقات القائمة على الثقة والاحترام بين المنظمات المتنوعة هي أهم "
                "مقوّم في كل شراكة ناجحة. وتصف العبارات التالية ثلاثة عشر مقوّمًا آخر. "
                "يُرجى أن تبيّن مدى موافقتك على أن كل عبارة تنطبق على شراكتنا اليوم."
            ),
        )
    ),
    "closing": _t(
        en=(
            "Thank you. Your answers help us celebrate what works and decide on our "
            "next steps together."
        ),
        es=(
            "Gracias. Sus respuestas nos ayudan a celebrar lo que funciona y a decidir "
            "juntos los próximos pasos."
        ),
        vi=(
            "Xin cảm ơn quý vị. Câu trả lời của quý vị giúp chúng ta ghi nhận những gì "
            "đang hiệu quả và cùng nhau quyết định các bước tiếp theo."
        ),
        zh_Hans="谢谢！您的回答将帮助我们肯定行之有效的做法，并共同确定下一步行动。",
        ar=(
            "شكرًا لك. تساعدنا إجاباتك على الاحتفاء بما ينجح وعلى تحديد خطواتنا التالية "
            "معًا."
        ),
    ),
    "questions": [
        # 1. The central purpose is the job seeker's and employer's success.
        _agreement(
            _t(
                en=(
                    "Our central purpose is the success of job seekers and employers, "
                    "on their own terms."
                ),
                es=(
                    "Nuestro propósito central es el éxito de las personas que buscan "
                    "empleo y de los empleadores, según sus propios términos."
                ),
                vi=(
                    "Mục đích trọng tâm của chúng ta là sự thành công của người tìm "
                    "việc và người sử dụng lao động, theo cách chính họ định nghĩa."
                ),
                zh_Hans=(
                    "我们的核心宗旨是求职者和雇主的成功，并以他们自己的标准来衡量。"
                ),
                ar=(
                    "غايتنا الأساسية هي نجاح الباحثين عن عمل وأصحاب العمل، وفق ما "
                    "يرونه هم نجاحًا."
                ),
            ),
        ),
        # 2. Concrete results rather than the promise of results.
        _agreement(
            _t(
                en=(
                    "The partnership delivers concrete results, not just the promise "
                    "of results, so partners stay engaged."
                ),
                es=(
                    "La alianza ofrece resultados concretos, no solo la promesa de "
                    "resultados, de modo que los socios se mantienen comprometidos."
                ),
                vi=(
                    "Quan hệ đối tác mang lại kết quả cụ thể, không chỉ là lời hứa về "
                    "kết quả, nhờ đó các đối tác luôn gắn bó."
                ),
                zh_Hans=(
                    "合作伙伴关系取得了具体成果，而不仅仅是对成果的承诺，因此各合作伙伴"
                    "能够保持投入。"
                ),
                ar=(
                    "تحقق الشراكة نتائج ملموسة، لا مجرد وعود بالنتائج، مما يحافظ على "
                    "مشاركة الشركاء."
                ),
            ),
        ),
        # 3. Specific deliverables for the system as a whole; mutual accountability.
        _agreement(
            _t(
                en=(
                    "We have agreed on specific deliverables for the partnership as a "
                    "whole, and we hold one another accountable for them."
                ),
                es=(
                    "Hemos acordado resultados específicos para la alianza en su "
                    "conjunto y nos rendimos cuentas mutuamente sobre ellos."
                ),
                vi=(
                    "Chúng ta đã thống nhất các kết quả cụ thể cần đạt được cho toàn "
                    "bộ quan hệ đối tác và cùng chịu trách nhiệm với nhau về các kết "
                    "quả đó."
                ),
                zh_Hans="我们已就整个合作伙伴关系的具体交付成果达成一致，并相互问责。",
                ar=(
                    "اتفقنا على مخرجات محددة للشراكة ككل، ونتحمّل المساءلة المتبادلة "
                    "عنها."
                ),
            ),
        ),
        # 4. Bridge personal as well as agency cultural differences.
        _agreement(
            _t(
                en=(
                    "We acknowledge and understand cultural differences, between "
                    "people as well as between organizations, and are learning to "
                    "bridge them."
                ),
                es=(
                    "Reconocemos y comprendemos las diferencias culturales, tanto "
                    "entre personas como entre organizaciones, y aprendemos a tender "
                    "puentes entre ellas."
                ),
                vi=(
                    "Chúng ta thừa nhận và thấu hiểu những khác biệt văn hóa, giữa các "
                    "cá nhân cũng như giữa các tổ chức, và đang học cách thu hẹp chúng."
                ),
                zh_Hans=(
                    "我们承认并理解个人之间以及组织之间的文化差异，并在学习如何弥合这些"
                    "差异。"
                ),
                ar=(
                    "نعترف بالاختلافات الثقافية بين الأفراد وبين المنظمات ونتفهّمها، "
                    "ونتعلّم كيف نتجاوزها."
                ),
            ),
        ),
        # 5. Speak from their own experience, without fear of criticism.
        _agreement(
            _t(
                en=(
                    "Partners can speak from their own experience and share ideas "
                    "without fear of criticism."
                ),
                es=(
                    "Los socios pueden hablar desde su propia experiencia y compartir "
                    "ideas sin temor a ser criticados."
                ),
                vi=(
                    "Các đối tác có thể nói từ kinh nghiệm của chính mình và chia sẻ ý "
                    "tưởng mà không sợ bị chỉ trích."
                ),
                zh_Hans="合作伙伴可以从自身经验出发发言，分享想法而不必担心受到批评。",
                ar=(
                    "يستطيع الشركاء التحدث انطلاقًا من تجاربهم الخاصة وطرح أفكارهم دون "
                    "خوف من الانتقاد."
                ),
            ),
            _t(
                en="All voices are vital to the partnership.",
                es="Todas las voces son fundamentales para la alianza.",
                vi="Mọi tiếng nói đều rất quan trọng đối với quan hệ đối tác.",
                zh_Hans="每一种声音对合作伙伴关系都至关重要。",
                ar="كل الأصوات ضرورية للشراكة.",
            ),
        ),
        # 6. Every partner has a voice.
        _agreement(
            _t(
                en=(
                    "Every partner has a voice, in meetings and in the internal "
                    "dealings of the partnership."
                ),
                es=(
                    "Cada socio tiene voz, tanto en las reuniones como en los asuntos "
                    "internos de la alianza."
                ),
                vi=(
                    "Mọi đối tác đều có tiếng nói, trong các cuộc họp cũng như trong "
                    "các công việc nội bộ của quan hệ đối tác."
                ),
                zh_Hans="每个合作伙伴在会议中以及合作伙伴关系的内部事务中都有发言权。",
                ar="لكل شريك صوت مسموع في الاجتماعات وفي الشؤون الداخلية للشراكة.",
            ),
            _t(
                en="The best ideas often come from unexpected places.",
                es="Las mejores ideas suelen surgir de donde menos se espera.",
                vi="Những ý tưởng hay nhất thường đến từ những nơi không ngờ tới.",
                zh_Hans="最好的想法往往来自意想不到的地方。",
                ar="كثيرًا ما تأتي أفضل الأفكار من حيث لا نتوقع.",
            ),
        ),
        # 7. Seek feedback; decide by consensus.
        _agreement(
            _t(
                en=(
                    "We actively seek feedback, and we make important decisions by "
                    "consensus."
                ),
                es=(
                    "Buscamos activamente la retroalimentación y tomamos las "
                    "decisiones importantes por consenso."
                ),
                vi=(
                    "Chúng ta chủ động tìm kiếm ý kiến phản hồi và đưa ra các quyết "
                    "định quan trọng dựa trên sự đồng thuận."
                ),
                zh_Hans="我们积极征求反馈意见，并以共识方式作出重要决定。",
                ar=(
                    "نسعى بفاعلية إلى طلب الآراء والملاحظات، ونتخذ القرارات المهمة "
                    "بالتوافق."
                ),
            ),
        ),
        # 8. Every organization contributes to the overall structure.
        _agreement(
            _t(
                en=(
                    "Every partner organization contributes to the overall structure "
                    "that our joint effort needs to succeed."
                ),
                es=(
                    "Cada organización socia contribuye a la estructura general que "
                    "nuestro esfuerzo conjunto necesita para tener éxito."
                ),
                vi=(
                    "Mỗi tổ chức đối tác đều đóng góp vào cấu trúc chung mà nỗ lực "
                    "chung của chúng ta cần để thành công."
                ),
                zh_Hans=(
                    "每个合作伙伴组织都为我们共同努力取得成功所需的整体架构作出贡献。"
                ),
                ar=(
                    "تُسهم كل منظمة شريكة في البنية العامة التي يحتاج إليها جهدنا "
                    "المشترك لكي ينجح."
                ),
            ),
        ),
        # 9. Identify service duplication.
        _agreement(
            _t(
                en=(
                    "We identify duplicated services, to use resources more "
                    "efficiently and to build trust."
                ),
                es=(
                    "Identificamos los servicios duplicados para usar los recursos con "
                    "mayor eficiencia y fortalecer la confianza."
                ),
                vi=(
                    "Chúng ta xác định các dịch vụ bị trùng lặp để sử dụng nguồn lực "
                    "hiệu quả hơn và xây dựng lòng tin."
                ),
                zh_Hans="我们找出重复提供的服务，以提高资源利用效率并增进信任。",
                ar="نحدّد الخدمات المتكررة لاستخدام الموارد بكفاءة أكبر ولبناء الثقة.",
            ),
        ),
        # 10. Collaborate whenever possible; share resources.
        _agreement(
            _t(
                en=(
                    "We collaborate and share resources whenever possible to "
                    "strengthen the quality of services."
                ),
                es=(
                    "Colaboramos y compartimos recursos siempre que es posible para "
                    "fortalecer la calidad de los servicios."
                ),
                vi=(
                    "Chúng ta hợp tác và chia sẻ nguồn lực bất cứ khi nào có thể để "
                    "nâng cao chất lượng dịch vụ."
                ),
                zh_Hans="我们尽可能开展协作、共享资源，以提升服务质量。",
                ar="نتعاون ونتشارك الموارد كلما أمكن ذلك لتعزيز جودة الخدمات.",
            ),
        ),
        # 11. Value commitment regardless of size; value all staff.
        _agreement(
            _t(
                en=(
                    "We value each partner's commitment, whatever the size of the "
                    "organization, and the knowledge and contributions of all staff."
                ),
                es=(
                    "Valoramos el compromiso de cada socio, sin importar el tamaño de "
                    "la organización, así como los conocimientos y aportes de todo el "
                    "personal."
                ),
                vi=(
                    "Chúng ta trân trọng sự cam kết của mỗi đối tác, bất kể quy mô của "
                    "tổ chức, cũng như kiến thức và đóng góp của toàn thể nhân viên."
                ),
                zh_Hans=(
                    "我们重视每个合作伙伴的投入（无论其组织规模大小），也重视全体员工的"
                    "知识和贡献。"
                ),
                ar=(
                    "نقدّر التزام كل شريك بصرف النظر عن حجم منظمته، كما نقدّر معارف جميع "
                    "الموظفين وإسهاماتهم."
                ),
            ),
        ),
        # 12. Dedicate time and effort to the partnership itself.
        _agreement(
            _t(
                en="Partners dedicate time and effort to the partnership itself.",
                es="Los socios dedican tiempo y esfuerzo a la alianza en sí misma.",
                vi="Các đối tác dành thời gian và công sức cho chính quan hệ đối tác.",
                zh_Hans="各合作伙伴为合作伙伴关系本身投入时间和精力。",
                ar="يخصّص الشركاء الوقت والجهد للشراكة ذاتها.",
            ),
            _t(
                en=(
                    "Hours are devoted across the board to make the partnership "
                    "successful and sustainable for all partners, internal and "
                    "external."
                ),
                es=(
                    "Se dedican horas en todos los niveles para que la alianza sea "
                    "exitosa y sostenible para todos los socios, internos y externos."
                ),
                vi=(
                    "Thời gian được dành ra ở mọi cấp để quan hệ đối tác thành công và "
                    "bền vững cho tất cả các đối tác, cả bên trong lẫn bên ngoài."
                ),
                zh_Hans=(
                    "各方投入时间，使合作伙伴关系对所有内部和外部合作伙伴而言都成功且可"
                    "持续。"
                ),
                ar=(
                    "تُكرَّس الساعات على جميع المستويات لجعل الشراكة ناجحة ومستدامة لجميع "
                    "الشركاء، الداخليين والخارجيين."
                ),
            ),
        ),
        # 13. Learn from mistakes. Be resilient.
        _agreement(
            _t(
                en="We learn from our mistakes and are resilient.",
                es="Aprendemos de nuestros errores y somos resilientes.",
                vi=(
                    "Chúng ta rút kinh nghiệm từ những sai lầm và kiên cường vượt qua "
                    "khó khăn."
                ),
                zh_Hans="我们从错误中吸取教训，并具有韧性。",
                ar="نتعلّم من أخطائنا ونتحلّى بالمرونة والقدرة على الصمود.",
            ),
        ),
        _comment(
            _t(
                en="What should our partnership do more of, or do differently?",
                es=(
                    "¿Qué debería hacer nuestra alianza con más frecuencia o de otra "
                    "manera?"
                ),
                vi=(
                    "Quan hệ đối tác của chúng ta nên làm gì nhiều hơn, hoặc làm gì "
                    "khác đi?"
                ),
                zh_Hans="我们的合作伙伴关系应在哪些方面多下功夫，或做出哪些改变？",
                ar="ما الذي ينبغي لشراكتنا أن تُكثر منه أو تفعله بطريقة مختلفة؟",
            ),
            _PRIVACY_HELP,
        ),
    ],
}

# -- Joint strategic planning feedback -------------------------------------------
#
# Planning: seed 001 found joint strategic planning the way to keep partners
# engaged, and such a plan "most often included a vision statement, guiding
# principles, goals, strategies, and recommended actions". One agreement
# question and one open question for each part.

_STRATEGIC_PLANNING = {
    "phase": "planning",
    "title": _t(
        en="Joint strategic planning feedback",
        es="Comentarios sobre la planificación estratégica conjunta",
        vi="Góp ý về kế hoạch chiến lược chung",
        zh_Hans="联合战略规划意见反馈",
        ar="ملاحظات حول التخطيط الاستراتيجي المشترك",
    ),
    "description": _t(
        en=(
            "Gather partners' views on each part of a draft joint strategic plan, from "
            "the vision statement to the recommended actions."
        ),
        es=(
            "Recoja la opinión de los socios sobre cada parte de un borrador de plan "
            "estratégico conjunto, desde la declaración de visión hasta las acciones "
            "recomendadas."
        ),
        vi=(
            "Thu thập ý kiến của các đối tác về từng phần của dự thảo kế hoạch chiến "
            "lược chung, từ tuyên bố tầm nhìn đến các hành động được khuyến nghị."
        ),
        zh_Hans="收集合作伙伴对联合战略计划草案各部分的意见，从愿景声明到建议行动。",
        ar=(
            "اجمع آراء الشركاء في كل جزء من مسودة الخطة الاستراتيجية المشتركة، من بيان "
            "الرؤية إلى الإجراءات الموصى بها."
        ),
    ),
    "intro": _intro(
        _t(
            en=(
                "Our partnership is drafting a joint strategic plan: a vision "
                "statement, guiding principles, goals, strategies and recommended "
                "actions. Please read the draft, then tell us how much you agree with "
                "each part and what you would change."
            ),
            es=(
                "Nuestra alianza está elaborando un plan estratégico conjunto: una "
                "declaración de visión, principios rectores, metas, estrategias y "
                "acciones recomendadas. Lea el borrador y luego indíquenos qué tan de "
                "acuerdo está con cada parte y qué cambiaría."
            ),
            vi=(
                "Quan hệ đối tác của chúng ta đang soạn thảo một kế hoạch chiến lược "
                "chung, gồm: tuyên bố tầm nhìn, các nguyên tắc chỉ đạo, mục tiêu, "
                "chiến lược và các hành động được khuyến nghị. Xin quý vị đọc bản dự "
                "thảo, sau đó cho chúng tôi biết mức độ đồng ý của quý vị với từng "
                "phần và những điều quý vị muốn thay đổi."
            ),
            zh_Hans=(
                "我们的合作伙伴关系正在起草一份联合战略计划，包括愿景声明、指导原则、目"
                "标、策略和建议行动。请阅读草案，然后告诉我们您对各部分的同意程度以及您"
                "希望修改的内容。"
            ),
            ar=(
                "تعمل شراكتنا على إعداد خطة استراتيجية مشتركة تتضمن بيان الرؤية "
                "والمبادئ التوجيهية والأهداف والاستراتيجيات والإجراءات الموصى بها. "
                "يُرجى قراءة المسودة، ثم إخبارنا بمدى موافقتك على كل جزء منها وما الذي "
                "تودّ تغييره."
            ),
        )
    ),
    "closing": _t(
        en=(
            "Thank you. Your comments will shape the next draft of our joint strategic "
            "plan."
        ),
        es=(
            "Gracias. Sus comentarios darán forma a la próxima versión de nuestro plan "
            "estratégico conjunto."
        ),
        vi=(
            "Xin cảm ơn quý vị. Ý kiến của quý vị sẽ góp phần định hình bản dự thảo "
            "tiếp theo của kế hoạch chiến lược chung."
        ),
        zh_Hans="谢谢！您的意见将用于完善我们联合战略计划的下一版草案。",
        ar=(
            "شكرًا لك. ستُسهم ملاحظاتك في صياغة المسودة التالية لخطتنا الاستراتيجية "
            "المشتركة."
        ),
    ),
    "questions": [
        # Vision statement
        _agreement(
            _t(
                en=(
                    "The draft vision statement reflects what our partnership wants to "
                    "achieve."
                ),
                es=(
                    "El borrador de la declaración de visión refleja lo que nuestra "
                    "alianza quiere lograr."
                ),
                vi=(
                    "Bản dự thảo tuyên bố tầm nhìn phản ánh đúng những gì quan hệ đối "
                    "tác của chúng ta muốn đạt được."
                ),
                zh_Hans="愿景声明草案体现了我们的合作伙伴关系希望实现的目标。",
                ar="تعكس مسودة بيان الرؤية ما تسعى شراكتنا إلى تحقيقه.",
            ),
            _t(
                en=(
                    "A vision statement describes, in a sentence or two, the future "
                    "the partners want to create together."
                ),
                es=(
                    "Una declaración de visión describe, en una o dos oraciones, el "
                    "futuro que los socios quieren construir juntos."
                ),
                vi=(
                    "Tuyên bố tầm nhìn mô tả, trong một hoặc hai câu, tương lai mà các "
                    "đối tác muốn cùng nhau tạo dựng."
                ),
                zh_Hans="愿景声明用一两句话描述各合作伙伴希望共同创造的未来。",
                ar=(
                    "يصف بيان الرؤية، في جملة أو جملتين، المستقبل الذي يريد الشركاء "
                    "صنعه معًا."
                ),
            ),
        ),
        _comment(
            _t(
                en="What would you change in the vision statement?",
                es="¿Qué cambiaría en la declaración de visión?",
                vi="Quý vị muốn thay đổi điều gì trong tuyên bố tầm nhìn?",
                zh_Hans="您希望对愿景声明作哪些修改？",
                ar="ما الذي تودّ تغييره في بيان الرؤية؟",
            ),
        ),
        # Guiding principles
        _agreement(
            _t(
                en=(
                    "The draft guiding principles reflect values that all partners "
                    "share."
                ),
                es=(
                    "El borrador de los principios rectores refleja valores que "
                    "comparten todos los socios."
                ),
                vi=(
                    "Bản dự thảo các nguyên tắc chỉ đạo phản ánh những giá trị mà tất "
                    "cả các đối tác cùng chia sẻ."
                ),
                zh_Hans="指导原则草案体现了所有合作伙伴共同认同的价值观。",
                ar="تعكس مسودة المبادئ التوجيهية قيمًا يتشاركها جميع الشركاء.",
            ),
            _t(
                en=(
                    "Guiding principles are the shared values that shape how partners "
                    "work together and make decisions."
                ),
                es=(
                    "Los principios rectores son los valores compartidos que orientan "
                    "la forma en que los socios trabajan juntos y toman decisiones."
                ),
                vi=(
                    "Nguyên tắc chỉ đạo là những giá trị chung định hướng cách các đối "
                    "tác làm việc cùng nhau và đưa ra quyết định."
                ),
                zh_Hans="指导原则是指引各合作伙伴如何协作和决策的共同价值观。",
                ar=(
                    "المبادئ التوجيهية هي القيم المشتركة التي توجّه طريقة عمل الشركاء "
                    "معًا واتخاذهم للقرارات."
                ),
            ),
        ),
        _comment(
            _t(
                en="What would you change in the guiding principles?",
                es="¿Qué cambiaría en los principios rectores?",
                vi="Quý vị muốn thay đổi điều gì trong các nguyên tắc chỉ đạo?",
                zh_Hans="您希望对指导原则作哪些修改？",
                ar="ما الذي تودّ تغييره في المبادئ التوجيهية؟",
            ),
        ),
        # Goals
        _agreement(
            _t(
                en=(
                    "The draft goals are clear, and we will be able to tell when we "
                    "have reached them."
                ),
                es=(
                    "Las metas del borrador son claras y podremos saber cuándo las "
                    "hayamos alcanzado."
                ),
                vi=(
                    "Các mục tiêu trong bản dự thảo rõ ràng, và chúng ta sẽ biết được "
                    "khi nào mình đạt được chúng."
                ),
                zh_Hans="草案中的目标清晰明确，我们能够判断何时已经实现。",
                ar="الأهداف الواردة في المسودة واضحة، وسنتمكّن من معرفة متى نحققها.",
            ),
            _t(
                en="Good goals name measurable outcomes and benchmarks.",
                es=(
                    "Las buenas metas señalan resultados medibles y puntos de "
                    "referencia."
                ),
                vi=(
                    "Mục tiêu tốt nêu rõ các kết quả có thể đo lường và các chỉ tiêu "
                    "đánh giá."
                ),
                zh_Hans="好的目标应明确可衡量的成果和基准。",
                ar="تحدّد الأهداف الجيدة نتائج قابلة للقياس ومعايير مرجعية.",
            ),
        ),
        _comment(
            _t(
                en="What would you change in the goals?",
                es="¿Qué cambiaría en las metas?",
                vi="Quý vị muốn thay đổi điều gì trong các mục tiêu?",
                zh_Hans="您希望对目标作哪些修改？",
                ar="ما الذي تودّ تغييره في الأهداف؟",
            ),
        ),
        # Strategies
        _agreement(
            _t(
                en="The draft strategies are a realistic way to reach our goals.",
                es=(
                    "Las estrategias del borrador son una forma realista de alcanzar "
                    "nuestras metas."
                ),
                vi=(
                    "Các chiến lược trong bản dự thảo là cách thực tế để đạt được các "
                    "mục tiêu của chúng ta."
                ),
                zh_Hans="草案中的策略是实现我们目标的可行途径。",
                ar="تمثّل الاستراتيجيات الواردة في المسودة سبيلًا واقعيًا لتحقيق أهدافنا.",
            ),
            _t(
                en=(
                    "Consider whether the strategies make good use of each partner's "
                    "resources and expertise."
                ),
                es=(
                    "Considere si las estrategias aprovechan bien los recursos y la "
                    "experiencia de cada socio."
                ),
                vi=(
                    "Xin cân nhắc xem các chiến lược có tận dụng tốt nguồn lực và "
                    "chuyên môn của từng đối tác hay không."
                ),
                zh_Hans="请考虑这些策略是否充分利用了每个合作伙伴的资源和专业知识。",
                ar=(
                    "يُرجى النظر في مدى حسن استفادة الاستراتيجيات من موارد كل شريك "
                    "وخبراته."
                ),
            ),
        ),
        _comment(
            _t(
                en="What would you change in the strategies?",
                es="¿Qué cambiaría en las estrategias?",
                vi="Quý vị muốn thay đổi điều gì trong các chiến lược?",
                zh_Hans="您希望对策略作哪些修改？",
                ar="ما الذي تودّ تغييره في الاستراتيجيات؟",
            ),
        ),
        # Recommended actions
        _agreement(
            _t(
                en=(
                    "The draft recommended actions are specific, and it is clear which "
                    "partners will lead them."
                ),
                es=(
                    "Las acciones recomendadas del borrador son específicas y está "
                    "claro qué socios las encabezarán."
                ),
                vi=(
                    "Các hành động được khuyến nghị trong bản dự thảo là cụ thể, và đã "
                    "rõ đối tác nào sẽ chủ trì thực hiện."
                ),
                zh_Hans="草案中的建议行动具体明确，并且清楚由哪些合作伙伴牵头。",
                ar=(
                    "الإجراءات الموصى بها في المسودة محددة، ومن الواضح أي الشركاء "
                    "سيتولّون قيادتها."
                ),
            ),
            _t(
                en="Actions say who does what, and by when.",
                es="Las acciones indican quién hace qué y para cuándo.",
                vi="Các hành động nêu rõ ai làm gì và khi nào hoàn thành.",
                zh_Hans="行动应说明由谁做什么、何时完成。",
                ar="توضّح الإجراءات من يفعل ماذا ومتى.",
            ),
        ),
        _comment(
            _t(
                en="What would you change in the recommended actions?",
                es="¿Qué cambiaría en las acciones recomendadas?",
                vi="Quý vị muốn thay đổi điều gì trong các hành động được khuyến nghị?",
                zh_Hans="您希望对建议行动作哪些修改？",
                ar="ما الذي تودّ تغييره في الإجراءات الموصى بها؟",
            ),
        ),
    ],
}

TEMPLATES = {
    "health_check": _HEALTH_CHECK,
    "ingredients": _INGREDIENTS,
    "strategic_planning": _STRATEGIC_PLANNING,
}


def template_keys():
    """Return the keys of every template, in the order the picker lists them."""
    return list(TEMPLATES)
