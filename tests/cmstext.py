"""The word banks of the CMS fixture web (tests/cmspages.py builds stories from them):
per language, topics (slug stem, title, lead), sentences any story may use, places in the
locative case, officials and month names in the genitive. Written for the fixture."""

from __future__ import annotations

from datetime import UTC, datetime

# 15 topics (12 in English) per language, so that no two stories of one site share one.
TOPICS: dict[str, list[tuple[str, str, str]]] = {
    "ru": [
        ("shkola", "В {loc} открылась новая школа на {n} мест",
         "На церемонии открытия побывали ученики, родители и учителя, которые уже готовят кабинеты"
         " к занятиям."),
        ("doroga", "В {loc} завершили ремонт дороги длиной {k} километров",
         "Дорожники уложили новое покрытие, обновили разметку и установили освещение у пешеходных "
         "переходов."),
        ("poliklinika", "Поликлиника в {loc} получила новое оборудование",
         "В кабинетах появились аппарат УЗИ, цифровой рентген и электрокардиограф для приёма "
         "взрослых и детей."),
        ("marshrut", "В {loc} запустят автобусный маршрут №{k}",
         "Автобусы будут ходить каждые пятнадцать минут с шести утра до одиннадцати вечера без "
         "выходных."),
        ("byudzhet", "Депутаты в {loc} приняли бюджет: расходы составят {n} млн рублей",
         "Больше половины средств пойдёт на образование, здравоохранение и поддержку семей с "
         "детьми."),
        ("park", "В {loc} благоустроят парк и набережную",
         "Проект выбрали сами жители на рейтинговом голосовании, за него отдали больше всего "
         "голосов."),
        ("sport", "В {loc} построят физкультурно-оздоровительный комплекс",
         "В комплексе разместятся бассейн, универсальный игровой зал и тренажёрный зал для всех "
         "возрастов."),
        ("otoplenie", "Подготовка к отопительному сезону в {loc} завершена",
         "Котельные проверены, теплосети промыты, а резервные источники питания готовы к морозам."),
        ("mfc", "В {loc} открылся новый офис МФЦ на {k} окон",
         "Посетители смогут оформить паспорт, пособия и выписки из реестра недвижимости в одном "
         "месте."),
        ("urozhay", "Уборочная кампания в {loc} завершилась рекордным урожаем",
         "Аграрии собрали зерновые и масличные культуры со всех засеянных площадей несмотря на "
         "дожди."),
        ("kultura", "Дом культуры в {loc} отремонтируют к весне",
         "Строители заменят кровлю, окна и кресла в зрительном зале, а также оборудуют студию "
         "звукозаписи."),
        ("subbotnik", "В {loc} прошёл экологический субботник",
         "Волонтёры убрали берег реки, высадили деревья и собрали несколько тонн раздельного "
         "мусора."),
        ("gaz", "В {loc} продолжается газификация частных домов",
         "Газ до границы участка подводят бесплатно, заявку можно подать через портал госуслуг."),
        ("kvartiry", "Более {k} семей в {loc} получили ключи от новых квартир",
         "Новоселье отметили переселенцы из аварийного жилья и молодые семьи, стоявшие в очереди."),
        ("vodoprovod", "В {loc} заменят {k} километров водопроводных сетей",
         "Старые чугунные трубы уступят место полиэтиленовым, что сократит число аварий и потерь "
         "воды."),
    ],
    "uk": [
        ("shkola", "У {loc} відкрили нову школу на {n} місць",
         "На відкритті були учні, батьки та вчителі, які вже облаштовують класи до початку "
         "навчання."),
        ("doroga", "У {loc} завершили ремонт дороги завдовжки {k} кілометрів",
         "Дорожники поклали нове покриття, оновили розмітку та встановили освітлення біля "
         "переходів."),
        ("likarnia", "Лікарня у {loc} отримала нове обладнання",
         "У відділеннях з'явилися апарат УЗД, цифровий рентген та кардіограф для "
         "дорослих і дітей."),
        ("marshrut", "У {loc} запустять автобусний маршрут №{k}",
         "Автобуси курсуватимуть кожні п'ятнадцять хвилин з шостої ранку до одинадцятої вечора."),
        ("biudzhet", "Депутати у {loc} ухвалили бюджет: видатки сягнуть {n} млн гривень",
         "Понад половину коштів спрямують на освіту, медицину та підтримку родин з дітьми."),
        ("park", "У {loc} облаштують парк і набережну",
         "Проєкт обрали самі мешканці під час громадського голосування, він набрав найбільше "
         "голосів."),
        ("sport", "У {loc} збудують спортивний комплекс",
         "У комплексі буде басейн, універсальна ігрова зала та тренажерна зала для всіх охочих."),
        ("opalennia", "Підготовку до опалювального сезону у {loc} завершено",
         "Котельні перевірили, тепломережі промили, а резервні генератори готові до морозів."),
        ("tsnap", "У {loc} відкрили новий ЦНАП на {k} робочих місць",
         "Відвідувачі зможуть оформити паспорт, субсидії та довідки з реєстру нерухомості в одному"
         " місці."),
        ("vrozhai", "Жнива у {loc} завершилися рекордним урожаєм",
         "Аграрії зібрали зернові та олійні культури з усіх засіяних площ попри затяжні дощі."),
        ("kultura", "Будинок культури у {loc} відремонтують до весни",
         "Будівельники замінять покрівлю, вікна та крісла в глядацькій залі, облаштують студію "
         "звукозапису."),
        ("toloka", "У {loc} відбулася екологічна толока",
         "Волонтери прибрали берег річки, висадили дерева та зібрали кілька тонн сміття для "
         "переробки."),
        ("ukryttia", "У {loc} облаштували {k} нових укриттів",
         "Укриття мають запас води, лави, освітлення та доступ для людей з інвалідністю."),
        ("kvartyry", "Понад {k} родин у {loc} отримали ключі від нових квартир",
         "Новосілля відсвяткували внутрішньо переміщені особи та молоді сім'ї, що стояли в черзі."),
        ("vodohin", "У {loc} замінять {k} кілометрів водогону",
         "Старі чавунні труби замінять поліетиленовими, що зменшить кількість аварій "
         "і втрат води."),
    ],
    "en": [
        ("school", "New school for {n} pupils opens in {loc}",
         "Pupils, parents and teachers attended the opening and are already setting up the "
         "classrooms."),
        ("road", "Resurfacing of {k} miles of road completed in {loc}",
         "Crews laid new asphalt, repainted the markings and installed lighting at pedestrian "
         "crossings."),
        ("clinic", "Health centre in {loc} receives new equipment",
         "The surgery now has an ultrasound scanner, digital X-ray and a heart monitor for all "
         "patients."),
        ("bus", "Bus route {k} to launch in {loc}",
         "Buses will run every fifteen minutes from six in the morning until eleven at night, "
         "every day."),
        ("budget", "Council in {loc} approves a budget of {n} million pounds",
         "More than half of the money goes to schools, social care and support for "
         "young families."),
        ("park", "Park and riverside walk in {loc} to be restored",
         "Residents chose the scheme themselves in a public vote, where it won the most support."),
        ("leisure", "Leisure centre to be built in {loc}",
         "The centre will house a pool, a sports hall and a gym open to residents of every age."),
        ("winter", "Winter readiness checks finished in {loc}",
         "Gritters are serviced, salt stores are full and standby generators have been tested."),
        ("library", "Library in {loc} reopens with {k} study rooms",
         "Visitors can borrow books, use the computers and get help with online council services."),
        ("harvest", "Farmers in {loc} report a record harvest",
         "Growers brought in cereals and oilseed rape from every field despite a wet late summer."),
        ("theatre", "Community theatre in {loc} to be refurbished by spring",
         "Builders will replace the roof, windows and seating and add a small recording studio."),
        ("cleanup", "Volunteers clean up the riverbank in {loc}",
         "They cleared litter, planted trees and sorted several tonnes of rubbish for recycling."),
    ],
}

# Each sentence holds a number no other story of the web has (a document number, an area,
# a sum), so that no two stories share a paragraph.
GENERIC: dict[str, list[str]] = {
    "ru": [
        "Как сообщил глава администрации {official}, работы на площади {m2} кв. м выполнены в срок "
        "и в полном объёме.",
        "На реализацию проекта направлено {n} млн рублей из областного и местного бюджетов.",
        "Жители давно просили решить этот вопрос: число обращений на горячую линию за год "
        "достигло {m2}.",
        "Гарантия по договору № {doc} действует до {gy} года.",
        "Ход работ проверила рабочая группа, в которую вошли депутаты и представители "
        "общественности, — протокол № {doc} опубликован на сайте.",
        "В {ny} году программу планируют продолжить: число заявок от жителей соседних территорий "
        "уже достигло {m2}.",
        "Всего за год в {loc} реализованы проекты общей стоимостью {n2} млн рублей.",
        "Специалисты отмечают, что новые решения позволят снизить расходы на содержание объектов "
        "на {pct}%, или на {n2} млн рублей в год.",
        "Вопросы можно задать по телефону единой справочной службы {phone} или на портале "
        "госуслуг.",
        "Контроль за соблюдением сроков остаётся за профильным министерством, отчёт № {doc2} "
        "направлен в правительство области.",
        "Предыдущий этап программы был завершён в {year} году, тогда на него потратили {n2} млн "
        "рублей.",
        "{official} поручил подготовить отчёт о результатах до конца месяца, на совещании № {doc2}"
        " его рассмотрят депутаты.",
    ],
    "uk": [
        "Як повідомив голова громади {official}, роботи на площі {m2} кв. м виконано вчасно та в "
        "повному обсязі.",
        "На реалізацію проєкту спрямовано {n} млн гривень з обласного та місцевого бюджетів.",
        "Мешканці давно просили розв'язати це питання: кількість звернень на гарячу лінію за рік "
        "сягнула {m2}.",
        "Гарантія за договором № {doc} діє до {gy} року.",
        "Хід робіт перевірила робоча група, до якої увійшли депутати та представники "
        "громадськості, — протокол № {doc} оприлюднено на сайті.",
        "У {ny} році програму планують продовжити: кількість заявок від сусідніх громад уже "
        "сягнула {m2}.",
        "Загалом за рік у {loc} реалізовано проєкти загальною вартістю {n2} млн гривень.",
        "Фахівці зазначають, що нові рішення дозволять зменшити витрати на утримання об'єктів на "
        "{pct}%, або на {n2} млн гривень на рік.",
        "Запитання можна поставити за телефоном довідкової служби {phone} або на порталі Дія.",
        "Контроль за дотриманням строків залишається за профільним департаментом, звіт № {doc2} "
        "надіслано до обласної адміністрації.",
        "Попередній етап програми завершили у {year} році, тоді на нього витратили {n2} млн "
        "гривень.",
        "{official} доручив підготувати звіт про результати до кінця місяця, на засіданні № {doc2}"
        " його розглянуть депутати.",
    ],
    "en": [
        "Council leader {official} said the work on the {m2} square metre site had been finished "
        "on time.",
        "The scheme cost £{n},000, shared between the county and the district.",
        "Residents had asked for this for years: the helpline logged {m2} calls about it last "
        "year.",
        "The contract, reference {doc}, guarantees the work until {gy}.",
        "Councillors and community representatives inspected progress on site; minute {doc} is "
        "published online.",
        "The programme is due to continue in {ny}, and {m2} households in neighbouring villages "
        "have already applied.",
        "In all, projects worth £{n2},500 have been delivered in {loc} this year.",
        "Officers expect the changes to cut running costs by {pct}%, or £{n2},000 a year.",
        "Questions can be put to the council contact centre on {phone} or through its website.",
        "The cabinet member for the area will oversee the timetable, and report {doc2} goes to the"
        " next cabinet meeting.",
        "The previous phase ended in {year}, when it cost £{n2},000.",
        "{official} asked officers to report back on the results by the end of the month, under "
        "item {doc2} of the agenda.",
    ],
}

# (locative form, slug); officials.
PLACES = {
    "ru": [("Заречном районе", "zarechny"), ("Северном округе", "severny"),
           ("посёлке Луговом", "lugovoy"), ("Ленинском районе", "leninsky"),
           ("городе Озёрске", "ozyorsk"), ("Приморском районе", "primorsky"),
           ("селе Красном", "krasnoe"), ("Кировском районе", "kirovsky")],
    "uk": [("Заріччі", "zarichchia"), ("Північному районі", "pivnichnyi"),
           ("селищі Лугове", "luhove"), ("Подільському районі", "podilskyi"),
           ("місті Озерне", "ozerne"), ("Приморському районі", "prymorskyi")],
    "en": [("Riverside", "riverside"), ("North Ward", "north-ward"), ("Meadowbank", "meadowbank"),
           ("Kingsley", "kingsley"), ("Lakeside", "lakeside"), ("Harbour Vale", "harbour-vale")],
}
OFFICIALS = {
    "ru": ["Сергей Петров", "Игорь Соколов", "Дмитрий Кузнецов", "Алексей Орлов", "Павел Лебедев"],
    "uk": ["Олександр Коваленко", "Андрій Мельник", "Віктор Шевчук", "Тарас Бондар"],
    "en": ["Mark Ellis", "David Hughes", "Peter Walsh", "Tom Barker"],
}
MONTHS = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
           "вересня", "жовтня", "листопада", "грудня"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
# The newest story's wall-clock time on its site (the offset each site prints is its own;
# the UTC tzinfo only keeps the datetime aware and is never printed).
NEWEST = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
