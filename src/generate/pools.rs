//! Wording pools for site chrome, per language.
//!
//! Every site draws its own wording, subset and order from these pools (plus decorations and
//! separators chosen in `site.rs`), so no single list of chrome strings covers a corpus: a
//! detector has to find chrome by its repetition across a site's pages, not by memorising labels.

/// The chrome wording of one language.
pub(crate) struct Pools {
    pub(crate) read_more: &'static [&'static str],
    pub(crate) share: &'static [&'static str],
    pub(crate) back_top: &'static [&'static str],
    pub(crate) print: &'static [&'static str],
    pub(crate) related: &'static [&'static str],
    /// `{n}` is replaced by the count.
    pub(crate) views: &'static [&'static str],
    pub(crate) comments_head: &'static [&'static str],
    pub(crate) comment_notes: &'static [&'static str],
    pub(crate) comment_fields: &'static [&'static str],
    pub(crate) home: &'static [&'static str],
    pub(crate) nav: &'static [&'static str],
    /// `{site}` and `{year}` are replaced.
    pub(crate) copyright: &'static [&'static str],
    pub(crate) sections: &'static [&'static str],
    /// `{n}` is replaced by the id.
    pub(crate) news_code: &'static [&'static str],
    pub(crate) tags: &'static [&'static str],
    pub(crate) short_link: &'static [&'static str],
    pub(crate) newsletter: &'static [&'static str],
    pub(crate) close: &'static [&'static str],
    pub(crate) byline: &'static [&'static str],
    pub(crate) read_also: &'static [&'static str],
    pub(crate) site_prefix: &'static [&'static str],
    pub(crate) site_words: &'static [&'static str],
    /// `{site}` is replaced.
    pub(crate) disclaimers: &'static [&'static str],
    pub(crate) weekdays: &'static [&'static str],
    pub(crate) months: &'static [&'static str],
    /// Gregorian months for the languages whose sites also print Gregorian dates.
    pub(crate) months_alt: &'static [&'static str],
}

// Data tables: one pool per line reads better than rustfmt's one string per line.
#[rustfmt::skip]
pub(crate) const FA: Pools = Pools {
    read_more: &["ادامه مطلب", "ادامه خبر", "بیشتر بخوانید", "مشاهده کامل خبر", "متن کامل", "ادامه مطلب را بخوانید"],
    share: &["اشتراک گذاری", "اشتراک‌گذاری", "به اشتراک بگذارید", "اشتراک در شبکه‌های اجتماعی", "ارسال به دوستان", "هم‌رسانی"],
    back_top: &["بازگشت به بالا", "برو بالا", "بالای صفحه", "بازگشت به ابتدای صفحه", "رفتن به بالا"],
    print: &["نسخه چاپی", "چاپ خبر", "دریافت PDF", "نسخه قابل چاپ", "چاپ"],
    related: &["مطالب مرتبط", "اخبار مرتبط", "پیشنهاد سردبیر", "خبرهای مرتبط", "مطالب پیشنهادی", "پربازدیدترین‌ها", "آخرین اخبار", "از همین بخش"],
    views: &["بازدید: {n}", "{n} بازدید", "تعداد بازدید: {n}", "دفعات مشاهده: {n}", "مشاهده: {n}"],
    comments_head: &["دیدگاهتان را بنویسید", "نظر شما", "ارسال نظر", "دیدگاه‌ها", "نظرات کاربران", "نظر خود را بنویسید"],
    comment_notes: &["نشانی ایمیل شما منتشر نخواهد شد.", "بخش‌های موردنیاز علامت‌گذاری شده‌اند *", "نظرات پس از تایید منتشر می‌شود.", "لطفا از نوشتن با حروف لاتین خودداری کنید.", "نظرات حاوی توهین منتشر نمی‌شود.", "هنوز نظری ثبت نشده است."],
    comment_fields: &["نام *", "ایمیل *", "ارسال", "ثبت نظر", "انصراف", "نام و نام خانوادگی", "متن نظر"],
    home: &["خانه", "صفحه اصلی", "صفحه نخست", "اخبار", "خبرها"],
    nav: &["صفحه اصلی", "درباره ما", "تماس با ما", "تبلیغات", "حفظ حریم شخصی", "آرشیو", "قوانین و مقررات", "همکاری با ما", "نقشه سایت", "خبرنامه", "RSS", "پیوندها", "شناسنامه", "اپلیکیشن"],
    copyright: &["کلیه حقوق این سایت محفوظ است.", "© {year} {site} - تمامی حقوق محفوظ است", "استفاده از مطالب {site} با ذکر منبع آزاد است.", "کلیه حقوق مادی و معنوی برای {site} محفوظ است ©", "تمامی حقوق برای {site} محفوظ است | {year}", "کپی‌رایت {year} © {site}"],
    sections: &["سیاسی", "اقتصادی", "اجتماعی", "فرهنگی", "ورزشی", "بین‌الملل", "علمی", "استان‌ها", "حوادث", "سلامت", "فناوری", "جامعه", "بازار", "دیدگاه", "سیاست خارجی", "انرژی"],
    news_code: &["کد خبر: {n}", "شناسه خبر: {n}", "کد مطلب: {n}", "شماره خبر: {n}"],
    tags: &["برچسب‌ها:", "کلیدواژه‌ها:", "تگ‌ها:", "موضوعات:", "برچسب ها"],
    short_link: &["لینک کوتاه:", "کپی لینک", "نشانی کوتاه:", "لینک خبر:"],
    newsletter: &["عضویت در خبرنامه", "ما را در تلگرام دنبال کنید", "عضویت در کانال", "اخبار را در پیام‌رسان‌ها دنبال کنید", "اپلیکیشن را نصب کنید"],
    close: &["بستن", "×", "بستن پنجره"],
    byline: &["نویسنده:", "خبرنگار:", "گزارش از", "به قلم", "تهیه و تنظیم:", "دبیر:"],
    read_also: &["بیشتر بخوانید:", "بخوانید:", "پیشنهاد ما:", "مرتبط:"],
    site_prefix: &["خبرگزاری", "پایگاه خبری", "روزنامه", "سایت خبری", "شبکه خبر", "پایگاه تحلیلی", "", ""],
    site_words: &["آفتاب", "صبح", "نگاه", "آرمان", "پارس", "البرز", "فردا", "امروز", "رویداد", "جهان", "صنعت", "قلم", "نو", "ملت", "سپهر", "افق", "پیام", "شرق", "آوا", "ندا", "مهر", "روزان", "سیمرغ", "دماوند", "اندیشه", "تدبیر", "خلیج", "کاوش"],
    disclaimers: &["انتشار مطالب {site} تنها با ذکر منبع مجاز است.", "{site} مسئولیتی در قبال محتوای نظرات و اخبار بازنشر شده ندارد.", "تمامی اخبار به صورت خودکار از منابع مختلف گردآوری شده و {site} مسئولیتی در قبال محتوای آنها ندارد.", "نقل مطالب این خبر با ذکر نام {site} آزاد است و هرگونه کپی بدون ذکر منبع پیگرد قانونی دارد.", "دیدگاه‌های منتشر شده لزوما بیانگر نظر {site} نیست."],
    weekdays: &["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"],
    months: &["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    months_alt: &["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"],
};

// Data tables: one pool per line reads better than rustfmt's one string per line.
#[rustfmt::skip]
pub(crate) const AR: Pools = Pools {
    read_more: &["اقرأ المزيد", "اظهر المزيد", "التفاصيل", "تابع القراءة", "المزيد"],
    share: &["شارك", "مشاركة", "شارك الخبر", "انشر على مواقع التواصل", "أرسل لصديق"],
    back_top: &["زر الذهاب إلى الأعلى", "العودة إلى الأعلى", "إلى الأعلى", "أعلى الصفحة"],
    print: &["طباعة", "نسخة للطباعة", "تحميل PDF", "اطبع الخبر"],
    related: &["مقالات ذات صلة", "أخبار ذات صلة", "اقرأ أيضا", "الأكثر قراءة", "آخر الأخبار", "قد يعجبك أيضا", "من نفس القسم"],
    views: &["المشاهدات: {n}", "{n} مشاهدة", "عدد القراءات: {n}", "قرئ {n} مرة"],
    comments_head: &["اترك تعليقاً", "التعليقات", "أضف تعليقك", "شاركنا رأيك", "آراء القراء"],
    comment_notes: &["لن يتم نشر عنوان بريدك الإلكتروني.", "الحقول الإلزامية مشار إليها بـ *", "تخضع التعليقات للمراجعة قبل النشر.", "لا توجد تعليقات بعد."],
    comment_fields: &["الاسم *", "البريد الإلكتروني *", "إرسال", "أرسل التعليق", "إلغاء", "الموقع الإلكتروني"],
    home: &["الرئيسية", "الصفحة الرئيسية", "أخبار", "الأخبار"],
    nav: &["الرئيسية", "من نحن", "اتصل بنا", "أعلن معنا", "سياسة الخصوصية", "الأرشيف", "شروط الاستخدام", "فريق التحرير", "خريطة الموقع", "النشرة البريدية", "RSS", "وظائف"],
    copyright: &["جميع الحقوق محفوظة © {year} {site}", "© {site} {year}. كل الحقوق محفوظة", "حقوق النشر محفوظة لـ {site}", "جميع الحقوق محفوظة لموقع {site}", "{site} | جميع الحقوق محفوظة {year}"],
    sections: &["سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "عربي ودولي", "محليات", "تكنولوجيا", "صحة", "آسيا", "أخبار العالم", "الشرق الأوسط", "مقالات", "حوادث"],
    news_code: &["رقم الخبر: {n}", "معرف المقال: {n}", "الخبر رقم {n}"],
    tags: &["الوسوم:", "كلمات مفتاحية:", "وسوم", "مواضيع:"],
    short_link: &["الرابط المختصر:", "نسخ الرابط", "رابط الخبر:"],
    newsletter: &["اشترك في النشرة البريدية", "تابعونا على تلغرام", "حمّل التطبيق", "تابعنا على مواقع التواصل"],
    close: &["إغلاق", "×", "أغلق"],
    byline: &["كتب:", "بقلم", "تحرير:", "المحرر:", "إعداد:"],
    read_also: &["اقرأ أيضا:", "طالع أيضا:", "ذات صلة:"],
    site_prefix: &["صحيفة", "موقع", "بوابة", "شبكة", "وكالة", "", ""],
    site_words: &["الوطن", "الصباح", "الأفق", "النهار", "الحدث", "الشروق", "المستقبل", "الرأي", "البيان", "الفجر", "اليوم", "الغد", "الميدان", "الحقيقة", "المشهد", "الخليج", "النيل", "الرافدين", "الأرز", "القلم"],
    disclaimers: &["جميع الحقوق محفوظة لـ{site} ولا يجوز النقل دون ذكر المصدر.", "الآراء الواردة في هذا المقال تعبر عن رأي كاتبها ولا تعبر بالضرورة عن رأي {site}.", "يتم جمع الأخبار تلقائيا من مصادر مختلفة ولا يتحمل {site} مسؤولية محتواها.", "يسمح بإعادة نشر هذا المحتوى بشرط الإشارة إلى {site} كمصدر."],
    weekdays: &["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"],
    months: &["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
    months_alt: &["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"],
};

// Data tables: one pool per line reads better than rustfmt's one string per line.
#[rustfmt::skip]
pub(crate) const EN: Pools = Pools {
    read_more: &["Read more", "Continue reading", "Full story", "More", "Read the full article"],
    share: &["Share", "Share this article", "Share on social media", "Email this", "Share this"],
    back_top: &["Back to top", "Top", "Scroll to top", "Return to top"],
    print: &["Print", "Print this page", "Download PDF", "Printer-friendly version"],
    related: &["Related articles", "Related", "You may also like", "Most read", "Latest news", "More from this section", "Recommended"],
    views: &["Views: {n}", "{n} views", "Read {n} times", "{n} reads"],
    comments_head: &["Leave a comment", "Comments", "Add your comment", "Join the conversation", "Reader comments"],
    comment_notes: &["Your email address will not be published.", "Required fields are marked *", "Comments are moderated before publication.", "No comments yet."],
    comment_fields: &["Name *", "Email *", "Submit", "Post comment", "Cancel", "Website"],
    home: &["Home", "News", "Front page"],
    nav: &["Home", "About us", "Contact", "Advertise", "Privacy policy", "Archive", "Terms of use", "Careers", "Sitemap", "Newsletter", "RSS", "Corrections"],
    copyright: &["© {year} {site}. All rights reserved.", "Copyright {year} {site}", "All content © {site}", "{site} | All rights reserved | {year}"],
    sections: &["Politics", "Business", "World", "Middle East", "Sport", "Culture", "Science", "Technology", "Health", "Opinion", "Energy", "Asia"],
    news_code: &["Story ID: {n}", "Article {n}", "ID {n}"],
    tags: &["Tags:", "Topics:", "Filed under:", "Keywords:"],
    short_link: &["Short link:", "Copy link", "Permalink:"],
    newsletter: &["Subscribe to our newsletter", "Follow us on Telegram", "Get the app", "Sign up for daily updates"],
    close: &["Close", "×", "Dismiss"],
    byline: &["By", "Written by", "Reporter:", "Author:"],
    read_also: &["Read also:", "See also:", "Related:"],
    site_prefix: &["The", "", ""],
    site_words: &["Daily", "Morning", "Herald", "Tribune", "Observer", "Ledger", "Courier", "Post", "Times", "Chronicle", "Dispatch", "Monitor", "Gazette", "Wire", "Beacon", "Star", "Review", "Echo"],
    disclaimers: &["The views expressed in this article are the author's own and do not necessarily reflect the editorial policy of {site}.", "This story was automatically aggregated and {site} is not responsible for its content.", "Republishing is permitted only with a link to {site}.", "{site} may earn a commission from links on this page."],
    weekdays: &["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    months: &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    months_alt: &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};
