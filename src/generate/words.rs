//! Word lists for the three languages, written for this generator.
//!
//! Each list is one string of space-separated words, roughly in order of how common the word is in
//! news text, because the sampler gives earlier words Zipf-like higher weights. In the Persian and
//! Arabic lists `_` stands for ZERO WIDTH NON-JOINER (U+200C) and `~` for a space inside a
//! multi-word unit (a compound verb such as `اعلام کرد`), so the invisible character never sits in
//! the source and each unit is sampled whole.

/// Persian function words, prepositions, pronouns and adverbs.
pub(crate) const FA_FUNC: &str = "در و به از که این را با برای آن تا یک هم بر نیز اما یا پس اگر چون زیرا همچنین بین درباره پیش بعد روی زیر طی ضمن میان سوی جز بدون طبق حتی فقط هنوز دیگر همه هر چند برخی بسیاری اکنون امروز دیروز فردا امسال پارسال سپس سرانجام هنگام وقتی جایی آنها ایشان وی او ما شما خود همین همان چنین چنان بیش کم بیشتر کمتر نه هیچ باید نباید شاید تنها البته ولی بلکه چرا چگونه کجا کدام چه اینکه آنچه مانند همچون علاوه~بر نسبت~به توسط به~گزارش براساس درحالی~که به~ویژه از~جمله";

/// Persian nouns of news text.
pub(crate) const FA_NOUN: &str = "کشور دولت مجلس وزیر رئیس_جمهور نماینده شهر استان تهران مردم جامعه اقتصاد بازار قیمت نفت گاز انرژی برق آب بودجه درآمد هزینه تورم بانک ارز دلار ریال طلا سکه خودرو مسکن زمین کارخانه صنعت کشاورزی تولید صادرات واردات تجارت گمرک بندر راه_آهن فرودگاه پرواز مسافر جاده ترافیک پلیس دادگاه قاضی پرونده قانون لایحه طرح مصوبه جلسه نشست دیدار سفر سفیر سفارت وزارت سازمان اداره شورا کمیسیون حزب انتخابات رای نامزد مناظره سیاست امنیت ارتش نیرو مرز جنگ صلح توافق مذاکره تحریم گزارش خبر خبرنگار رسانه روزنامه تلویزیون رادیو شبکه اینترنت فناوری دانشگاه دانشجو استاد مدرسه دانش_آموز معلم آموزش پژوهش علم بهداشت درمان بیمارستان پزشک پرستار بیمار بیماری واکسن دارو سلامت ورزش فوتبال تیم بازیکن مربی لیگ جام مسابقه قهرمانی باشگاه فرهنگ هنر فیلم سینما کتاب نمایشگاه جشنواره موسیقی تئاتر موزه تاریخ میراث گردشگری هوا باران برف سیل زلزله خشکسالی محیط~زیست جنگل دریا رودخانه آلودگی زباله کارگر کارمند حقوق دستمزد بیمه بازنشسته یارانه خانواده کودک زن جوان سالمند جمعیت ازدواج اشتغال بیکاری شغل شرکت کارآفرین سرمایه سرمایه_گذاری سهام بورس شاخص معامله خریدار فروشنده کالا خدمات مالیات عوارض پروژه ساخت_وساز عمران شهرداری شهردار روستا منطقه محله خیابان میدان بزرگراه ساختمان برنامه هدف راهکار مشکل چالش بحران فرصت تهدید موضوع مسئله نتیجه تصمیم اقدام فعالیت همکاری رابطه روابط تعامل حمایت مخالفت انتقاد اعتراض تجمع بیانیه پیام سخنرانی مصاحبه گفت_وگو جزئیات آمار رقم دوره مرحله بخش حوزه زمینه سطح میزان تعداد افزایش کاهش رشد توسعه تغییر اصلاح بررسی ارزیابی نظارت کنترل مدیریت مدیر مسئول کارشناس تحلیلگر مقام مسئولان منابع شاهدان ساکنان مقامات فعالان کریدور ترانزیت همسایه دیپلماسی راهبرد زیرساخت سامانه ظرفیت قرارداد تفاهم_نامه سند مجوز ضوابط استاندارد کیفیت بهره_وری نقدینگی بدهی وام تسهیلات اعتبار یارانه_ها کسری مازاد ذخایر پالایشگاه پتروشیمی فولاد مس معدن سیمان نیروگاه سد آبخیزداری بذر گندم برنج میوه دام مرغ گوشت لبنیات نان آرد شکر روغن دارایی قاچاق گرانی ارزانی رکود رونق شهروند داوطلب امدادگر آتش_نشانی اورژانس تصادف حادثه آتش_سوزی مصدوم قربانی متهم شاکی وکیل حکم زندان جریمه بازرسی تخلف فساد شفافیت";

/// Persian adjectives.
pub(crate) const FA_ADJ: &str = "بزرگ کوچک جدید تازه مهم اصلی ملی بین_المللی منطقه_ای داخلی خارجی اقتصادی سیاسی اجتماعی فرهنگی امنیتی نظامی عمومی دولتی خصوصی رسمی قانونی مالی پولی ارزی نفتی صنعتی علمی آموزشی درمانی بهداشتی ورزشی هنری تاریخی محلی شهری روستایی جهانی گسترده شدید سنگین سریع کند بالا پایین زیاد اندک فراوان لازم ضروری ویژه خاص مشترک جدی مثبت منفی موفق ناکام آینده گذشته اخیر فعلی کنونی احتمالی نهایی اولیه دوم سوم نخست آخر مستقیم غیرمستقیم پایدار موقت دائمی مستقل راهبردی دوجانبه چندجانبه حساس فوری قابل~توجه بی_سابقه کم_سابقه گرم سرد خشک مرطوب";

/// Persian verbs, mostly sentence-final (Persian is verb-final).
pub(crate) const FA_VERB: &str = "است بود شد می_شود کرد می_کند کردند می_کنند گفت گفته~است اعلام~کرد اعلام~شد تاکید~کرد افزود ادامه~داد خواهد~شد خواهد~بود قرار~دارد قرار~گرفت برگزار~شد برگزار~می_شود انجام~شد انجام~می_شود رسید می_رسد دارد داشت داشتند می_دهد داده~است نشان~می_دهد تصویب~شد افتتاح~شد آغاز~شد پایان~یافت منتشر~شد منتشر~کرد ابلاغ~شد کاهش~یافت افزایش~یافت می_یابد نمی_شود نمی_کند نیست نبود هستند بودند می_باشد گزارش~داد خبر~داد توضیح~داد یادآور~شد تصریح~کرد بیان~کرد اظهار~داشت پیشنهاد~کرد درخواست~کرد هشدار~داد پذیرفت رد~کرد امضا~کرد تشکیل~شد معرفی~شد می_توان می_خواهد نمی_خواهد پیگیری~می_شود";

/// Persian first names, surnames and place names.
pub(crate) const FA_NAME: &str = "علی محمد حسین رضا مهدی زهرا فاطمه مریم سارا امیر حمید مجید سعید احمد محسن حسن نرگس لیلا پرویز کاظم جواد عباس ناصر منصور بهرام کامران رحیمی محمدی حسینی کریمی احمدی موسوی نوری صادقی جعفری قاسمی رضایی مرادی عزیزی کاظمی هاشمی شریفی اصفهان شیراز تبریز مشهد کرج قم اهواز رشت کرمان یزد همدان اراک زاهدان ساری بندرعباس ارومیه سنندج قزوین گرگان خرم_آباد ایران عراق ترکیه روسیه چین هند آلمان فرانسه ژاپن مصر سوریه لبنان عمان قطر امارات پاکستان افغانستان ارمنستان آذربایجان مسکو پکن آنکارا بغداد دوحه";

/// Persian units and counters that follow a number.
pub(crate) const FA_UNIT: &str =
    "درصد میلیون میلیارد هزار تومان ریال دلار نفر سال ماه روز کیلومتر تن واحد مورد هکتار";

/// Arabic particles, prepositions and pronouns.
pub(crate) const AR_FUNC: &str = "في من على إلى عن مع أن إن كان كانت هذا هذه ذلك التي الذي الذين قد لقد ثم أو بل لكن حيث كما بعد قبل خلال بين حول ضد دون عند منذ حتى إلا غير كل بعض جميع أي ما لا لم لن هو هي هم نحن أيضا فقط عبر وفق لدى نحو تحت فوق أمام وذلك وفي ومن وعلى بينما إذ بشأن لدى~الجانب في~ظل من~أجل";

/// Arabic nouns of news text.
pub(crate) const AR_NOUN: &str = "الحكومة الدولة البرلمان الوزير رئيس الرئيس الشعب المواطنين المدينة العاصمة المنطقة البلاد الاقتصاد السوق الأسعار النفط الغاز الطاقة الكهرباء المياه الميزانية الإيرادات التضخم البنك العملة الدولار الذهب السيارات الإسكان الأراضي المصنع الصناعة الزراعة الإنتاج الصادرات الواردات التجارة الميناء المطار الرحلات الطريق الشرطة المحكمة القاضي القضية القانون المشروع الاجتماع اللقاء الزيارة السفير السفارة الوزارة المنظمة المجلس اللجنة الحزب الانتخابات الأصوات المرشح السياسة الأمن الجيش القوات الحدود الحرب السلام الاتفاق المفاوضات العقوبات التقرير الخبر الصحفي الإعلام الصحيفة التلفزيون الإذاعة الشبكة الإنترنت التكنولوجيا الجامعة الطلاب الأستاذ المدرسة المعلم التعليم البحث العلوم الصحة العلاج المستشفى الطبيب المريض المرض اللقاح الدواء الرياضة الفريق اللاعب المدرب الدوري الكأس المباراة البطولة النادي الثقافة الفن الفيلم السينما الكتاب المعرض المهرجان الموسيقى المسرح المتحف التاريخ التراث السياحة الطقس الأمطار الفيضانات الزلزال الجفاف البيئة الغابات البحر النهر التلوث العمال الموظفين الرواتب التأمين المتقاعدين الأسرة الأطفال النساء الشباب السكان العمل البطالة الوظائف الشركة الاستثمار الأسهم البورصة المؤشر الصفقة السلع الخدمات الضرائب البلدية القرية الحي الشارع الساحة المبنى البرنامج الهدف المشكلة التحديات الأزمة الفرصة التهديد القضايا النتيجة القرار الإجراءات النشاط التعاون العلاقات الدعم المعارضة الانتقادات الاحتجاجات البيان الرسالة الخطاب المقابلة الحوار التفاصيل الإحصاءات النسبة المرحلة القطاع المجال المستوى العدد الزيادة الانخفاض النمو التنمية التغيير الإصلاح الدراسة التقييم الرقابة الإدارة المدير المسؤول الخبير المحلل المسؤولين المصادر الشهود الناشطين الشراكة الممر العبور الجوار الدبلوماسية الاستراتيجية البنية المنظومة القدرة العقد المذكرة الوثيقة الترخيص المعايير الجودة الإنتاجية السيولة الديون القروض التسهيلات الائتمان العجز الفائض الاحتياطيات المصفاة البتروكيماويات الصلب النحاس المنجم الإسمنت المحطة السد القمح الأرز الفاكهة الماشية الدواجن اللحوم الخبز الدقيق السكر الزيت التهريب الغلاء الركود الانتعاش المتطوعين الإسعاف الحادث الحريق المصابين الضحايا المتهم المحامي الحكم السجن الغرامة التفتيش المخالفات الفساد الشفافية";

/// Arabic adjectives.
pub(crate) const AR_ADJ: &str = "الجديد الجديدة الكبير الكبيرة المهم المهمة الرئيسي الوطني الدولي الإقليمي المحلي الخارجي الاقتصادي السياسي الاجتماعي الثقافي الأمني العسكري العام الحكومي الخاص الرسمي المالي النفطي الصناعي العلمي الصحي الرياضي الفني التاريخي العالمي الواسع الشديد السريع المرتفع المنخفض الكثير القليل اللازم الضروري المشترك الجاد الإيجابي السلبي الناجح المقبل الماضي الأخير الحالي المحتمل النهائي الأول الثاني الثالث المباشر المستدام المؤقت الدائم المستقل الاستراتيجي الثنائي الحساس العاجل الملحوظ غير~المسبوق";

/// Arabic verbs, often sentence-initial (Arabic news prose is mostly verb-first).
pub(crate) const AR_VERB: &str = "قال أكد أعلن أشار أوضح أضاف كشف أفاد ذكر شدد دعا طالب رفض وافق وقع التقى بحث ناقش استقبل زار عقد افتتح أطلق بدأ انتهى ارتفع انخفض بلغ وصل سجل شهد تشهد يشهد يعتبر تعتبر يمكن يجب ستكون سيكون أصبح أصبحت تم يتم جرى يجري تواصل يواصل وأكد وقال وأضاف وأشار وأوضح يهدف تسعى يسعى";

/// Arabic first names, family names and places.
pub(crate) const AR_NAME: &str = "محمد أحمد علي حسن خالد عمر يوسف إبراهيم سعيد عبدالله فاطمة مريم سارة ليلى نور منى الحسن العلي الخطيب المصري الحسيني العمري الشمري القحطاني الزعبي بيروت دمشق بغداد القاهرة الرياض الدوحة عمان أبوظبي دبي الكويت المنامة مسقط طهران موسكو أنقرة باريس لندن واشنطن بكين تونس الجزائر الرباط";

/// Arabic units and counters.
pub(crate) const AR_UNIT: &str =
    "بالمئة مليون مليار ألف دولار دينار ريال جنيه شخص عاما شهرا يوما كيلومترا طن وحدة حالة";

/// English function words.
pub(crate) const EN_FUNC: &str = "the of and to in a for on that with as by at from is was are were be has have had it its this which who will would also but or not after over more than about into up out new while during against under between before since until because although where when how there their they he she we";

/// English nouns of news text.
pub(crate) const EN_NOUN: &str = "government country parliament minister president people city province capital region economy market prices oil gas energy electricity water budget revenue inflation bank currency dollar gold cars housing land factory industry agriculture production exports imports trade customs port railway airport flight passengers road traffic police court judge case law bill plan resolution meeting talks visit trip ambassador embassy ministry agency council committee party election vote candidate debate policy security army forces border war peace agreement negotiations sanctions report news reporter media newspaper television radio network internet technology university students professor school teacher education research science health treatment hospital doctor nurse patient disease vaccine medicine sport football team player coach league cup match championship club culture art film cinema book exhibition festival music theatre museum history heritage tourism weather rain snow flood earthquake drought environment forest sea river pollution waste workers employees wages insurance pensioners subsidies family children women youth population marriage employment unemployment jobs company entrepreneur capital investment shares stocks index deal buyers sellers goods services taxes project construction municipality mayor village district street square highway building programme goal solution problem challenge crisis opportunity threat issue question result decision action activity cooperation relations interaction support opposition criticism protest rally statement message speech interview dialogue details figures percent million billion thousand year month week day hour period stage sector field level number increase decrease growth development change reform review assessment oversight management director official expert analyst officials sources witnesses residents activists corridor transit neighbour diplomacy strategy infrastructure capacity contract memorandum document licence standards quality productivity liquidity debt loans credit deficit surplus reserves refinery steel copper mine cement plant dam wheat rice fruit livestock poultry meat bread flour sugar smuggling recession recovery volunteers ambulance accident fire injured victims defendant lawyer verdict prison fine inspection violations corruption transparency";

/// English adjectives.
pub(crate) const EN_ADJ: &str = "new large small important main national international regional domestic foreign economic political social cultural security military public state private official legal financial monetary industrial scientific educational medical sporting historical local urban rural global wide severe heavy rapid slow high low many few necessary special joint serious positive negative successful failed future past recent current possible final initial second third first last direct indirect sustainable temporary permanent independent strategic bilateral sensitive urgent significant unprecedented";

/// English verbs.
pub(crate) const EN_VERB: &str = "said says announced stressed added noted explained revealed reported stated urged demanded rejected approved signed met discussed received visited held opened launched began ended rose fell reached recorded saw considers can must could should became is being expects plans seeks aims continues warned called agreed confirmed denied estimated";

/// English names: people, places, organisations.
pub(crate) const EN_NAME: &str = "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans London Paris Berlin Tokyo Beijing Moscow Washington Delhi Cairo Tehran Ankara Madrid Rome Sydney Toronto Chicago Boston Dubai Istanbul Brussels Geneva Vienna";

/// English units.
pub(crate) const EN_UNIT: &str = "percent million billion thousand dollars euros people years months days kilometres tonnes units cases";

/// Latin-script brand and organisation names that turn up inside Persian and Arabic text.
pub(crate) const LATIN_NAMES: &str = "Reuters AFP NATO OPEC Google Apple Samsung Tesla Toyota Airbus Boeing Microsoft UNESCO UNICEF WHO BBC CNN iPhone Android Bitcoin Instagram Telegram WhatsApp Netflix Huawei Siemens Nokia Intel Nvidia Amazon Alibaba Visa FIFA IAEA BRICS G20 IMF OECD SpaceX OpenAI Xiaomi Volvo Renault Hyundai Shell Total Gazprom";

/// Syllables for synthetic Latin names and site slugs, so names are unbounded and rarely repeat.
pub(crate) const LATIN_SYLLABLES: &[&str] = &[
    "ka", "ro", "ven", "ta", "li", "mor", "sa", "del", "ni", "bar", "zo", "re", "mi", "tor", "la",
    "ges", "an", "vi", "dor", "pa", "sel", "ku", "ran", "te", "no", "bel", "fa", "rin", "go",
    "sha",
];
